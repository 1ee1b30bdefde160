import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const scope = require('../../jest/temporal-scope') as {
  needsTemporal(paths: string[]): boolean;
  fileNeedsTemporal(rel: string, text: string | null): boolean;
};

const ROOT = join(__dirname, '..', '..');
// Built from parts so that this file's own text shows no sign of a server.
const ENV = ['process', 'env', 'TEMPORAL' + '_ADDRESS'].join('.');
const CLIENT_IMPORT = `import { Client } from '@temporalio/${'client'}';`;

describe('which jest runs start a Temporal server (jest/temporal-scope.js)', () => {
  it('a unit-test folder runs without one', () => {
    expect(scope.needsTemporal([join(ROOT, 'libs/canvas/src/decider/fork.test.ts'), join(ROOT, 'libs/cwrpo/src/reward.test.ts')])).toBe(
      false,
    );
    expect(
      scope.needsTemporal([
        join(ROOT, 'libs/workflows/src/cwrpo-training/rewards.test.ts'),
        join(ROOT, 'libs/workflows/src/eval-run/aggregate.test.ts'),
      ]),
    ).toBe(false);
    // a workflow test runs a test worker (WorkflowTestBed): it gets the server
    expect(scope.needsTemporal([join(ROOT, 'libs/workflows/src/canvas-session/canvas-session.workflow.test.ts')])).toBe(true);
  });

  it('any file outside the unit-test folders gets one', () => {
    expect(
      scope.needsTemporal([
        join(ROOT, 'libs/canvas/src/decider/fork.test.ts'),
        join(ROOT, 'apps/worker-e2e/src/canvas-session/canvas-session.test.ts'),
      ]),
    ).toBe(true);
    expect(scope.fileNeedsTemporal('apps/cli/src/solve/problems.test.ts', 'plain unit test')).toBe(true);
    expect(scope.fileNeedsTemporal('apps/worker-e2e/src/eval-run/x.test.ts', 'plain unit test')).toBe(true);
  });

  it('a file in a unit-test folder that shows a sign of Temporal gets one', () => {
    expect(scope.fileNeedsTemporal('libs/llm/src/x.test.ts', `const address = ${ENV};`)).toBe(true);
    expect(scope.fileNeedsTemporal('libs/llm/src/x.test.ts', `${CLIENT_IMPORT}\n`)).toBe(true);
    expect(
      scope.fileNeedsTemporal('libs/llm/src/x.test.ts', "import { startSessionHarness } from '../test-support/session-" + "harness';"),
    ).toBe(true);
    expect(scope.fileNeedsTemporal('libs/llm/src/x.test.ts', null)).toBe(true);
  });

  it('a file in a unit-test folder without such a sign does not', () => {
    expect(scope.fileNeedsTemporal('libs/llm/src/x.test.ts', "import { MockActivityEnvironment } from '@temporalio/testing';")).toBe(false);
    // a client import quoted inside a string (a lint fixture) is not an import
    expect(scope.fileNeedsTemporal('tools/lint/x.test.ts', `lint("${CLIENT_IMPORT}")`)).toBe(false);
  });
});
