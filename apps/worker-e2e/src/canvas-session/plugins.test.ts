import { join } from 'node:path';
import { CANVAS_SESSION_WORKFLOW, type SessionInput, type SessionResult } from '@flowsteer/contracts';
import { reply, startFakeOpenAIServer } from '@flowsteer/llm/test-support';
import { loadPluginFile } from '@flowsteer/operators';
import { createSandbox } from '@flowsteer/sandbox';
import { activityCalls, replayWorkflowChain } from '@flowsteer/temporal-runtime';
import { startSessionHarness, type SessionHarness } from '../support/session-harness';
import { sessionSegments } from '../support/scripted-session';

jest.setTimeout(180_000);

/**
 * Plug-in operators end to end (issue 19): the example plug-in of examples/plugins/ declared for
 * the worker and the session, placed by a scripted director, run by the generic operator on the
 * executor, shown in the result, transcript and ledger, and the session replays.
 */
const EXAMPLE = join(__dirname, '..', '..', '..', '..', 'examples', 'plugins', 'unit-check.yaml');
const plugins = loadPluginFile(EXAMPLE);
const task = {
  dataset: 'adhoc',
  id: 'speed',
  taskType: 'math' as const,
  problem: 'A car drives 120 km in 2 hours. What is its speed in km/h?',
  answers: ['60'],
};
const SCRIPT = [
  '<action>add</action><operator>Plan</operator>',
  'Say which quantities to divide.',
  '<action>add</action><operator>Custom</operator>',
  'Divide the distance by the time.',
  '<action>add</action><structure>conditional</structure><condition>UnitCheck</condition><true>Revise</true><false>done</false>',
  'The answer must be in km/h.',
  'Restate the answer in km/h.',
  '<action>add</action><operator>Format</operator>',
  'Give the number and its unit.',
  '<action>finish</action>',
];

describe('plug-in operators in a real session', () => {
  let h: SessionHarness;
  beforeAll(async () => {
    h = await startSessionHarness('60', { plugins });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('the example plug-in is offered to the director, placed, run on the executor and replayable', async () => {
    expect(plugins.map((p) => p.name)).toEqual(['UnitCheck']);
    h.director.enqueue(...SCRIPT.map((t) => reply.text(t)));
    const executorBefore = h.executor.requests.length;
    const input: SessionInput = {
      task,
      directorBackend: 'director',
      executorBackend: 'executor',
      limits: { maxTurns: 12, outageBudgetSec: 5 },
      plugins,
    };
    const workflowId = `session-adhoc-plugin-${Date.now()}`;
    const result = (await h.client.workflow.execute(CANVAS_SESSION_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId,
      args: [input],
    })) as SessionResult;

    const { transcript } = await sessionSegments(result, h.store);
    expect(transcript.filter((t) => !t.accepted).map((t) => t.outcome)).toEqual([]);
    expect(result.status).toBe('finished');
    expect(result.dsl).toBe('Plan -> Custom -> UnitCheck ? Revise : done -> Format');
    // the director's catalogue named the plug-in with its description
    expect(JSON.stringify(h.director.requests[0]?.body)).toContain('UnitCheck');
    // the executor was asked to do the plug-in's step, with the director's prompt as guidance
    const asked = h.executor.requests.slice(executorBefore).map((r) => JSON.stringify(r.body));
    expect(asked.some((b) => b.includes('## Your step: UnitCheck') && b.includes('The answer must be in km/h.'))).toBe(true);
    expect(transcript.some((t) => t.accepted && /UnitCheck/.test(t.text))).toBe(true);
    expect(result.ledger.executor.calls).toBeGreaterThanOrEqual(2);

    const replayed = await replayWorkflowChain(h.client, workflowId);
    expect(replayed).toMatchObject({ ok: true });
    expect(replayed.runs).toHaveLength(1);
  });

  it('a plug-in declared for the director backend is answered by the director, the built-ins by the executor', async () => {
    const onDirector = plugins.map((p) => ({ ...p, backend: 'director' as const }));
    let next = 0;
    const director = await startFakeOpenAIServer({
      fallback: (req) =>
        JSON.stringify(req.body).includes('## Your step: UnitCheck')
          ? reply.text('<result>60 km/h</result><verdict>pass</verdict>')
          : reply.text(SCRIPT[next++] ?? '<action>finish</action>'),
    });
    const hd = await startSessionHarness('60', { director, plugins: onDirector });
    try {
      const input: SessionInput = {
        task,
        directorBackend: 'director',
        executorBackend: 'executor',
        limits: { maxTurns: 12, outageBudgetSec: 5 },
        plugins: onDirector,
      };
      const result = (await hd.client.workflow.execute(CANVAS_SESSION_WORKFLOW, {
        taskQueue: hd.taskQueue,
        workflowId: `session-adhoc-plugin-director-${Date.now()}`,
        args: [input],
      })) as SessionResult;
      expect(result.status).toBe('finished');
      expect(result.dsl).toBe('Plan -> Custom -> UnitCheck ? Revise : done -> Format');
      const stepAsked = (server: typeof director) =>
        server.requests.filter((r) => JSON.stringify(r.body).includes('## Your step: UnitCheck')).length;
      expect(stepAsked(director)).toBeGreaterThan(0); // the director's backend did the plug-in's step
      expect(stepAsked(hd.executor)).toBe(0); // the executor never saw it
      expect(hd.executor.requests.length).toBeGreaterThan(0); // while the built-ins ran on the executor
      // the ledger counts the plug-in's calls under the operator role, and under the backend that answered them
      const { director: asDirector, executor: asOperators, byBackend } = result.ledger;
      expect(byBackend?.director?.calls).toBe(asDirector.calls + stepAsked(director));
      expect(byBackend?.executor?.calls).toBe(asOperators.calls - stepAsked(director));
    } finally {
      await hd.close();
      await director.close();
    }
  });

  it('a session that does not declare the plug-in cannot place it (the canvas rejects the name)', async () => {
    h.director.enqueue(
      ...[
        '<action>add</action><operator>UnitCheck</operator>',
        '<action>add</action><operator>Custom</operator>',
        'Divide.',
        '<action>finish</action>',
      ].map((t) => reply.text(t)),
    );
    const input: SessionInput = { task, directorBackend: 'director', executorBackend: 'executor', limits: { maxTurns: 4 } };
    const result = (await h.client.workflow.execute(CANVAS_SESSION_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId: `session-adhoc-noplugin-${Date.now()}`,
      args: [input],
    })) as SessionResult;
    const { transcript } = await sessionSegments(result, h.store);
    expect(transcript[0]).toMatchObject({ accepted: false });
    expect(transcript[0]?.outcome).toMatch(/UnitCheck/);
    expect(result.dsl).toBe('Custom');
  });

  it('a plug-in with a code check has its code run on the sandbox queue against the problem’s tests', async () => {
    const checked = loadPluginFile(join(__dirname, '..', '..', '..', '..', 'examples', 'plugins', 'checked-programmer.yaml'));
    const code = 'def add(a: int, b: int) -> int:\n    """The sum of a and b."""\n    return a + b';
    const executor = await startFakeOpenAIServer({ fallback: () => reply.text(`<result>\n\`\`\`python\n${code}\n\`\`\`\n</result>`) });
    const hc = await startSessionHarness('unused', { executor, plugins: checked, sandbox: await createSandbox() });
    try {
      const codeTask = {
        dataset: 'humaneval', // scored by the HumanEval scorer, on the sandbox queue
        id: 'adhoc-add',
        taskType: 'code' as const,
        problem: 'def add(a, b):\n    """Return the sum of a and b."""\n',
        answers: [],
        code: { entryPoint: 'add', tests: 'def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-1, 1) == 0\n' },
      };
      const input: SessionInput = {
        task: codeTask,
        directorBackend: 'director',
        executorBackend: 'executor',
        limits: { maxTurns: 3 },
        plugins: checked,
        fixedWorkflow: { dsl: 'DocumentedProgrammer', prompts: { DocumentedProgrammer: 'Handle negative numbers.' } },
      };
      const workflowId = `session-adhoc-plugin-code-${Date.now()}`;
      const result = (await hc.client.workflow.execute(CANVAS_SESSION_WORKFLOW, {
        taskQueue: hc.taskQueue,
        workflowId,
        args: [input],
      })) as SessionResult;
      expect(result.status).toBe('finished');
      expect(result.answer).toBe(code);
      expect(result.score?.primary).toBe(1);

      const history = await hc.client.workflow.getHandle(workflowId).fetchHistory();
      const runs = activityCalls(history.events ?? []).filter((a) => a.type === 'runCode');
      expect(runs.length).toBeGreaterThan(0);
      for (const run of runs) {
        expect(run).toMatchObject({
          queue: hc.sandboxTaskQueue,
          local: false,
          summary: expect.stringMatching(/DocumentedProgrammer · code check/),
        });
      }
      // the verdict reached the node's output (the director reads it as feedback)
      const { transcript } = await sessionSegments(result, hc.store);
      expect(JSON.stringify(transcript)).toMatch(
        /\[DocumentedProgrammer node_1\]: passed - DocumentedProgrammer: code check passed: the problem’s tests/,
      );
    } finally {
      await hc.close();
      await executor.close();
    }
  });
});
