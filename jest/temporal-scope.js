// Which jest runs need a real Temporal server. The global setup starts one only when a selected
// test file may talk to it, so `npx jest libs/canvas` runs without one. The default is safe: a file
// needs the server unless it lies in a folder below whose tests never use one AND its own text
// shows no sign of Temporal (a client/worker import, TEMPORAL_ADDRESS, a full-stack harness).
// Plain JS: jest loads the test sequencer without transforming it.
const { relative, sep } = require('node:path');
const { readFileSync } = require('node:fs');

const ROOT = require('node:path').resolve(__dirname, '..');

/**
 * Projects whose tests are unit tests: pure code, activities through MockActivityEnvironment, fake
 * LLM servers. Full-stack tests live in apps/worker-e2e; a workflow test here that runs a worker
 * (scripted activities) shows its @temporalio/worker import and gets the server.
 */
const SERVER_FREE_DIRS = [
  'libs/workflows',
  'libs/canvas',
  'libs/cwrpo',
  'libs/contracts',
  'libs/bench',
  'libs/artifacts',
  'libs/charts',
  'libs/llm',
  'libs/operators',
  'libs/sandbox',
  'tools',
  'infra/local-cluster',
];

/** Signs in a test file's own text that it talks to a Temporal server. */
const SERVER_SIGNS =
  /process\.env\.TEMPORAL_ADDRESS|^import [^\n]* from '@temporalio\/(client|worker)'|NativeConnection|(session|eval|training)-harness|worker-process|WorkflowTestBed|test-support\/test-app/m;

/** Pure: whether a test file at `rel` (relative to the repository, `/`-separated) with this text may need the server. */
function fileNeedsTemporal(rel, text) {
  if (!SERVER_FREE_DIRS.some((dir) => rel === dir || rel.startsWith(`${dir}/`))) return true;
  return text === null || SERVER_SIGNS.test(text);
}

/** True when any of these test files (absolute paths) may need the Temporal server. */
function needsTemporal(testPaths) {
  return testPaths.some((file) => {
    let text = null;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // unreadable: assume it needs the server
    }
    return fileNeedsTemporal(relative(ROOT, file).split(sep).join('/'), text);
  });
}

module.exports = { needsTemporal, fileNeedsTemporal, SERVER_FREE_DIRS };
