import { WorkflowFailedError } from '@temporalio/client';
import { CANVAS_SESSION_WORKFLOW, canvasQuery, type SessionInput, type SessionResult } from '@flowsteer/contracts';
import { reply, startFakeOpenAIServer, type FakeOpenAIServer } from '@flowsteer/llm/test-support';
import { createSandbox } from '@flowsteer/sandbox';
import { activityCalls, type ActivityCall } from '@flowsteer/temporal-runtime';
import { innermostMessage } from '../../../../libs/workflows/src/canvas-session/failures';
import { maybeRecordHistory, startSessionHarness, type SessionHarness } from '../support/session-harness';

jest.setTimeout(120_000);

const task = { dataset: 'adhoc', id: 'product', taskType: 'math' as const, problem: 'What is 6 times 7?', answers: ['42'] };
const PROGRAM = '```python\ndef solve():\n    return 6 * 7\n```';

/** The workflow is fixed (no director): one Programmer node, executed once. */
function input(extra: Partial<SessionInput['limits']> = {}): SessionInput {
  return {
    task,
    directorBackend: 'director',
    executorBackend: 'executor',
    limits: { maxTurns: 5, ...extra },
    fixedWorkflow: { dsl: 'Programmer', prompts: { Programmer: 'Compute the product in Python.' } },
  };
}

/** Every activity call of the session (regular ones with their task queue; local ones run on the session's worker). */
async function scheduled(h: SessionHarness, workflowId: string): Promise<Omit<ActivityCall, 'event'>[]> {
  const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
  return activityCalls(history.events ?? []).map(({ event: _event, ...call }) => call);
}

describe('candidate code runs only on the sandbox queue (real server, real sandbox)', () => {
  let executor: FakeOpenAIServer;
  beforeAll(async () => {
    executor = await startFakeOpenAIServer({ fallback: () => reply.text(PROGRAM) });
  });
  afterAll(async () => {
    await executor?.close();
  });

  it("runs a Programmer node's code as a runCode activity on the sandbox queue, and scores there", async () => {
    const h = await startSessionHarness('42', { executor, sandbox: await createSandbox() });
    try {
      const workflowId = `session-adhoc-sandbox-${Date.now()}`;
      const result = (await h.client.workflow.execute(CANVAS_SESSION_WORKFLOW, {
        taskQueue: h.taskQueue,
        workflowId,
        args: [input()],
      })) as SessionResult;
      expect(result.status).toBe('finished');
      expect(result.answer).toBe('42'); // what the program printed: it really ran
      expect(result.score?.primary).toBe(1);

      const acts = await scheduled(h, workflowId);
      const byType = (type: string) => acts.filter((a) => a.type === type);
      expect(byType('runCode')).toEqual([
        {
          type: 'runCode',
          queue: h.sandboxTaskQueue,
          local: false,
          summary: expect.stringMatching(/^runCode · node_\d+ · Programmer · run 1/),
        },
      ]);
      expect(byType('scoreSession').map((a) => a.queue)).toEqual([h.sandboxTaskQueue]);
      // the operator ran twice on the canvas queue: up to the run, then resumed with its result
      expect(byType('runOperator').map((a) => a.queue)).toEqual([h.taskQueue, h.taskQueue]);
      // nothing but runCode and scoring went to the sandbox queue
      expect(
        acts
          .filter((a) => a.queue === h.sandboxTaskQueue)
          .map((a) => a.type)
          .sort(),
      ).toEqual(['runCode', 'scoreSession']);
      // the resumed call replayed its journal: one executor call in all
      expect(h.executor.requests).toHaveLength(1);
      expect(result.ledger.executor.calls).toBe(1);
      await maybeRecordHistory(h.client, workflowId, 'canvas-session-sandbox-code');
    } finally {
      await h.close();
    }
  });

  it('an executor outage after a code run resumes the operator from its journal: nothing is asked or run twice', async () => {
    const BROKEN = '```python\ndef solve():\n    return x * 7\n```';
    let phase = 0; // 0: attempt 1 (broken code), 1..3: attempt 2 hits an outage, then the good program
    const flaky = await startFakeOpenAIServer({
      fallback: () => (phase++ === 0 ? reply.text(BROKEN) : phase <= 4 ? reply.status(503, 'overloaded') : reply.text(PROGRAM)),
    });
    const h = await startSessionHarness('42', { executor: flaky, sandbox: await createSandbox() });
    try {
      const workflowId = `session-adhoc-sandbox-outage-${Date.now()}`;
      const result = (await h.client.workflow.execute(CANVAS_SESSION_WORKFLOW, {
        taskQueue: h.taskQueue,
        workflowId,
        args: [input({ outageBudgetSec: 120, outageRetrySec: 0.3 })],
      })) as SessionResult;
      expect(result.status).toBe('finished');
      expect(result.answer).toBe('42');
      const acts = await scheduled(h, workflowId);
      // run 1 (NameError) and run 2 (42): the broken program did not run again after the outage
      expect(acts.filter((a) => a.type === 'runCode').map((a) => a.summary.replace(/"/g, ''))).toEqual([
        expect.stringMatching(/Programmer · run 1$/),
        expect.stringMatching(/Programmer · run 2$/),
      ]);
      // attempt 1 was asked once; attempt 2 failed (503s) and then answered
      const answered = result.ledger.executor.calls - result.ledger.executor.failedCalls;
      expect(answered).toBe(2);
    } finally {
      await h.close();
      await flaky.close();
    }
  });

  it('fails the session clearly when no sandbox worker polls the sandbox queue', async () => {
    const h = await startSessionHarness('42', { executor, sandboxWorker: false });
    try {
      const workflowId = `session-adhoc-nosandbox-${Date.now()}`;
      const handle = await h.client.workflow.start(CANVAS_SESSION_WORKFLOW, {
        taskQueue: h.taskQueue,
        workflowId,
        args: [input({ sandboxStartTimeoutSec: 2 })],
      });
      const failure = await handle.result().catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      expect(innermostMessage(failure)).toMatch(
        new RegExp(
          `sandbox unavailable: no sandbox worker took the code run of node_\\d+ Programmer from task queue "${h.sandboxTaskQueue}"`,
        ),
      );
      expect((await handle.query(canvasQuery)).status).toBe('failed');
      const acts = await scheduled(h, workflowId);
      expect(acts.filter((a) => a.type === 'runCode').map((a) => a.queue)).toEqual([h.sandboxTaskQueue]);
    } finally {
      await h.close();
    }
  });
});
