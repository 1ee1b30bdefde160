import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CANVAS_SESSION_WORKFLOW, type SessionResult } from '@flowsteer/contracts';
import { reply } from '@flowsteer/llm/test-support';
import { startSessionHarness, type SessionHarness } from '../../worker-e2e/src/support/session-harness';
import { sessionSegments } from '../../worker-e2e/src/support/scripted-session';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '..', '..', '..');

/** Runs the real `flowsteer` command against the test server. */
let artifacts = '';

function flowsteer(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [join(ROOT, 'apps/cli/bin/flowsteer.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, FLOWSTEER_ARTIFACTS: artifacts, ...env },
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

const SCRIPT = [
  '<action>add</action><operator>Custom</operator>',
  'Multiply the two numbers.',
  '<action>add</action><operator>Format</operator>',
  'Give only the number.',
];

describe('flowsteer show / replay / fork', () => {
  let h: SessionHarness;
  let sessionId: string;
  beforeAll(async () => {
    h = await startSessionHarness('42');
    artifacts = h.store.root;
    h.director.enqueue(...SCRIPT.map((t) => reply.text(t)));
    sessionId = `session-adhoc-cli-${Date.now()}`;
    await h.client.workflow.execute(CANVAS_SESSION_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId: sessionId,
      args: [
        {
          task: { dataset: 'adhoc', id: 'cli', taskType: 'math', problem: 'What is 6 times 7?', answers: ['42'] },
          directorBackend: 'director',
          executorBackend: 'executor',
          limits: { maxTurns: 4 },
        },
      ],
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('show prints the DSL, the transcript and the ledger', () => {
    const { code, out } = flowsteer(['show', sessionId]);
    expect(code).toBe(0);
    expect(out).toContain('workflow: Custom -> Format');
    expect(out).toContain('turn 1 director: <action>add</action><operator>Custom</operator>');
    expect(out).toMatch(/ledger: director 4 calls/);
  });

  it('replay checks determinism and prints the transcript without any LLM call', () => {
    const before = h.director.requests.length + h.executor.requests.length;
    const { code, out } = flowsteer(['replay', sessionId]);
    expect(code).toBe(0);
    expect(out).toMatch(/replay ok: 1 run\(s\), \d+ history events/);
    expect(out).toContain('turn 4 director: Give only the number.');
    expect(h.director.requests.length + h.executor.requests.length).toBe(before);
  });

  const customCalls = (from: number) =>
    h.executor.requests.slice(from).filter((r) => JSON.stringify(r.body).includes('Multiply the two numbers.')).length;

  it('fork starts a new session from the canvas of turn K, reusing the nodes its executor already ran', async () => {
    h.director.enqueue(reply.text('<action>add</action><operator>Review</operator>'), reply.text('Check the product.'));
    const executorBefore = h.executor.requests.length;
    const { code, out, err } = flowsteer(['fork', sessionId, '--turn', '2'], { FLOWSTEER_TASK_QUEUE: h.taskQueue });
    expect(err).toBe('');
    expect(code).toBe(0);
    const forkId = /-> (\S+)/.exec(out)?.[1] as string;
    expect(forkId).toMatch(/^session-adhoc-cli-fork2-/);
    const result = (await h.client.workflow.getHandle(forkId).result()) as SessionResult;
    expect(result.dsl).toBe('Custom -> Review');
    expect(result.turns).toBe(4); // turns 1-2 came from the original, 3-4 are new
    expect(result.forkedFrom).toEqual({ sessionId, turn: 2 });
    expect((await sessionSegments(result, h.store)).transcript.map((t) => t.turn)).toEqual([3, 4]);
    expect(h.executor.requests.length).toBeGreaterThan(executorBefore); // Review ran
    expect(customCalls(executorBefore)).toBe(0); // Custom came from the node cache
  });

  it('a fork under another executor runs the inherited nodes again (the cache key names the executor)', async () => {
    h.director.enqueue(reply.text('<action>add</action><operator>Review</operator>'), reply.text('Check the product.'));
    const executorBefore = h.executor.requests.length;
    const { code, out, err } = flowsteer(['fork', sessionId, '--turn', '2', '--executor', 'executor-b'], {
      FLOWSTEER_TASK_QUEUE: h.taskQueue,
    });
    expect(err).toBe('');
    expect(code).toBe(0);
    const forkId = /-> (\S+)/.exec(out)?.[1] as string;
    const result = (await h.client.workflow.getHandle(forkId).result()) as SessionResult;
    expect(result.dsl).toBe('Custom -> Review');
    expect(customCalls(executorBefore)).toBeGreaterThan(0);
  });

  it('fork refuses a turn the session never reached', () => {
    const { code, err } = flowsteer(['fork', sessionId, '--turn', '9']);
    expect(code).toBe(1);
    expect(err).toMatch(/taken 4 director turn/);
  });

  it('show names an unknown workflow clearly', () => {
    const { code, err } = flowsteer(['show', 'session-does-not-exist']);
    expect(code).toBe(1);
    expect(err).toMatch(/no workflow with id session-does-not-exist/);
  });

  it('a half-set TLS pair is refused before connecting, naming the variables', () => {
    const { code, err } = flowsteer(['show', sessionId], { TEMPORAL_TLS_CERT: '/nonexistent/tls.crt' });
    expect(code).toBe(1);
    expect(err).toMatch(/TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together/);
  });
});
