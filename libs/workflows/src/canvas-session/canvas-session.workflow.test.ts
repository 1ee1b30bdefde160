import { CANVAS_SESSION_WORKFLOW, canvasQuery, type SessionInput, type SessionResult } from '@flowsteer/contracts';
import { DIRECTOR_SCRIPT, SCRIPTED_ANSWER, WorkflowTestBed, scriptedSessionActivities } from '../test-support/scripted-activities';

// canvasSession with scripted activities: see test-support/scripted-activities.ts.

function input(limits: Partial<SessionInput['limits']> = {}): SessionInput {
  // no answers: the session is not scored, so nothing goes to the sandbox queue
  return {
    task: { dataset: 'scripted', id: 'p1', taskType: 'math', problem: 'What is 17 times 23?', answers: [] },
    directorBackend: 'director',
    executorBackend: 'executor',
    limits: { maxTurns: 20, ...limits },
    recordTrajectory: true,
  };
}

const bed = new WorkflowTestBed();
beforeAll(() => bed.open(), 120_000);
afterAll(() => bed.close());

async function runSession(activities: object, sessionInput: SessionInput, during?: (id: string) => Promise<void>): Promise<SessionResult> {
  const taskQueue = bed.queue();
  return bed.withWorkers(taskQueue, activities, {}, async () => {
    const handle = await bed.client.workflow.start(CANVAS_SESSION_WORKFLOW, {
      taskQueue,
      workflowId: `${taskQueue}-session`,
      args: [sessionInput],
    });
    await during?.(handle.workflowId);
    return (await handle.result()) as SessionResult;
  });
}

describe('canvasSession with scripted activities', () => {
  it('builds the scripted workflow, runs its operators, finishes and records the trajectory', async () => {
    const { activities, calls } = scriptedSessionActivities();
    const result = await runSession(activities, input());
    expect(result.status).toBe('finished');
    expect(result.answer).toBe(SCRIPTED_ANSWER);
    expect(result.dsl).toContain('Plan');
    expect(result.dsl).toContain('Format');
    expect(result.turns).toBe(DIRECTOR_SCRIPT.length + 1);
    expect(calls.operators).toContain('Verify');
    expect(calls.operators).not.toContain('Revise'); // Verify passed: the false branch ("done")
    expect(calls.trajectories).toEqual([result.sessionId]);
    expect(result.trajectoryRef).toBe(`artifact://trajectories/${result.sessionId}.json`);
  }, 60_000);

  it('waits out a director outage on durable timers (status waiting-for-backend), then goes on where it was', async () => {
    const { activities, calls } = scriptedSessionActivities((call) => call === 2 || call === 3);
    const seen: string[] = [];
    const result = await runSession(activities, input({ outageRetrySec: 1 }), async (id) => {
      const handle = bed.client.workflow.getHandle(id);
      for (let i = 0; i < 60 && !seen.includes('waiting-for-backend'); i++) {
        const view = await handle.query(canvasQuery).catch(() => undefined);
        if (view) seen.push(view.status);
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    expect(seen).toContain('waiting-for-backend');
    expect(result.status).toBe('finished');
    expect(result.answer).toBe(SCRIPTED_ANSWER);
    expect(result.turns).toBe(DIRECTOR_SCRIPT.length + 1);
    expect(calls.director).toBe(result.turns + 2); // the two failed calls are not turns
  }, 60_000);

  it('an outage longer than its budget ends the session backend-unavailable: not turn-limit, not scored', async () => {
    const { activities, calls } = scriptedSessionActivities(() => true);
    const result = await runSession(activities, input({ outageRetrySec: 1, outageBudgetSec: 3, maxTurns: 3 }));
    expect(result.status).toBe('backend-unavailable');
    expect(result.reason ?? result.error).toMatch(/outage budget 3 s/);
    expect(result.score).toBeUndefined();
    expect(result.turns).toBe(0);
    expect(calls.operators).toEqual([]);
    expect(calls.director).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('sets the Turns search attribute on the first turn and at the end, not once per turn (fast turns)', async () => {
    const { activities } = scriptedSessionActivities();
    const taskQueue = bed.queue();
    const handle = await bed.withWorkers(taskQueue, activities, {}, async () => {
      const started = await bed.client.workflow.start(CANVAS_SESSION_WORKFLOW, {
        taskQueue,
        workflowId: `${taskQueue}-turns`,
        args: [input()],
      });
      await started.result();
      return started;
    });
    const result = (await handle.result()) as SessionResult;
    const history = await handle.fetchHistory();
    const turnUpserts = (history.events ?? []).filter(
      (e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.FlowSteerTurns,
    );
    expect(result.turns).toBeGreaterThan(4);
    expect(turnUpserts).toHaveLength(2); // turn 1, then the final count (the turns took well under 10 s)
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get({ name: 'FlowSteerTurns', type: 'INT' } as never)).toBe(result.turns);
  }, 60_000);

  it('refuses plug-in declarations its schema rejects before any turn (the check loads only for such sessions)', async () => {
    const { activities, calls } = scriptedSessionActivities();
    const bad = { ...input(), plugins: [{ name: 'not a name', category: 'solving' }] } as unknown as SessionInput;
    await expect(runSession(activities, bad)).rejects.toMatchObject({
      cause: {
        type: 'InvalidSessionInput',
        message: expect.stringMatching(/^invalid session input: plugins: 0\.name: a capitalised name/),
      },
    });
    expect(calls.operators).toEqual([]);
  }, 60_000);
});
