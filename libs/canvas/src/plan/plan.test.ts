import { openCanvas, replay, type CanvasState } from '../decider';
import { pluginSpecs } from '../catalogue';
import { Session, MATH } from '../test-support/fixtures';
import {
  beginRun,
  describePlan,
  executionResult,
  failExecution,
  flattenCandidates,
  nodeCacheKey,
  planExecution,
  recordExecution,
  recordOutcomes,
  startExecution,
  type CallResult,
  type ExecutionRun,
  type OperatorCall,
} from './index';

function loaded(workflow: string, extra: object = {}): CanvasState {
  const opened = openCanvas({ ...MATH, workflow, ...extra });
  if (opened.rejection) throw new Error(opened.rejection.reason);
  return opened.state;
}

type Script = (call: OperatorCall) => CallResult;
const echo: Script = (c) => ({
  callId: c.callId,
  outcome: { text: `${c.operator}(${Array.isArray(c.inputs) ? `[${c.inputs.join('|')}]` : c.inputs === MATH.problem ? 'Q' : c.inputs})` },
});

/** Runs to the end; returns the run and every batch of calls the workflow would make. */
function runAll(state: CanvasState, script: Script = echo): { run: ExecutionRun; batches: OperatorCall[][] } {
  let run = startExecution(state);
  const batches: OperatorCall[][] = [];
  while (run.status === 'running') {
    batches.push(run.waiting);
    run = recordOutcomes(run, run.waiting.map(script));
  }
  return { run, batches };
}

describe('execution plan', () => {
  it('lists stages with their data flow', () => {
    const plan = planExecution(
      loaded('Plan -> [Programmer, Custom] -> ScEnsemble -> Review ? Revise : done -> (Revise -> Review) * 2 -> Format'),
    );
    expect(plan.stages.map((s) => s.kind)).toEqual([
      'operator',
      'parallel',
      'operator',
      'conditional',
      'operator',
      'operator',
      'operator',
      'operator',
      'operator',
    ]);
    expect(describePlan(plan)).toEqual([
      '1. node_1 Plan <- the problem',
      '2. parallel node_2: node_2_p0 Programmer | node_2_p1 Custom <- the previous output (each)',
      '3. node_3 ScEnsemble <- the list of branch outputs',
      '4. conditional node_4: node_4_cond Review <- the previous output; if it fails node_4_true Revise, else done',
      '5. node_5_l0 Revise (pass 1/2) <- the previous output',
      '6. node_5_l1 Review (pass 1/2) <- the previous output',
      '7. node_5_l0#2 Revise (pass 2/2) <- the previous output',
      '8. node_5_l1#2 Review (pass 2/2) <- the previous output',
      '9. node_6 Format <- the previous output',
    ]);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it('feeds the problem first, then each output onward; parallel branches run together and an ensemble gets the list', () => {
    const { run, batches } = runAll(loaded('Plan -> [Programmer, Custom] -> ScEnsemble -> Format'));
    expect(batches.map((b) => b.map((c) => c.callId))).toEqual([['node_1'], ['node_2_p0', 'node_2_p1'], ['node_3'], ['node_4']]);
    expect(batches[1]?.map((c) => c.inputs)).toEqual(['Plan(Q)', 'Plan(Q)']);
    expect(batches[2]?.[0]?.inputs).toEqual(['Programmer(Plan(Q))', 'Custom(Plan(Q))']);
    expect(run).toMatchObject({ status: 'succeeded', answer: 'Format(ScEnsemble([Programmer(Plan(Q))|Custom(Plan(Q))]))' });
    const first = batches[0]?.[0];
    expect(first).toMatchObject({
      operator: 'Plan',
      nodeId: 'node_1',
      problem: MATH.problem,
      taskType: 'math',
      inputs: MATH.problem,
      prompt: '',
      summary: 'node_1 Plan',
    });
    expect(first && 'executorBackend' in first).toBe(false);
  });

  it('runs the fix branch when the check FAILS, with the check feedback', () => {
    const failing: Script = (c) =>
      c.operator === 'Verify'
        ? { callId: c.callId, outcome: { text: 'checked(72)', passed: false, feedback: 'May is 24, not 25' } }
        : echo(c);
    const { run, batches } = runAll(loaded('Programmer -> Verify ? Revise : Format'), failing);
    expect(batches.map((b) => b.map((c) => c.callId))).toEqual([['node_1'], ['node_2_cond'], ['node_2_true']]);
    expect(batches[2]?.[0]).toMatchObject({ operator: 'Revise', inputs: 'checked(72)', feedback: 'May is 24, not 25' });
    expect(run.answer).toBe('Revise(checked(72))');
    expect(executionResult(run).branches).toEqual([{ nodeId: 'node_2', passed: false, ran: 'fix' }]);
  });

  it('passes the solution through (done) or runs the else branch when the check passes', () => {
    const passing: Script = (c) =>
      c.operator === 'Review' ? { callId: c.callId, outcome: { text: 'same-solution', passed: true, feedback: 'fine' } } : echo(c);
    const done = runAll(loaded('Custom -> Review ? Revise : done'), passing);
    expect(done.batches.map((b) => b.map((c) => c.callId))).toEqual([['node_1'], ['node_2_cond']]);
    expect(done.run.answer).toBe('same-solution');
    expect(executionResult(done.run).branches).toEqual([{ nodeId: 'node_2', passed: true, ran: 'done' }]);
    const other = runAll(loaded('Custom -> Review ? Revise : Format'), passing);
    expect(other.batches.map((b) => b.map((c) => c.callId))).toEqual([['node_1'], ['node_2_cond'], ['node_2_false']]);
    expect(other.batches[2]?.[0]?.feedback).toBe('fine');
  });

  it('treats a check with no verdict as failed (fix runs)', () => {
    const { batches } = runAll(loaded('Custom ? Revise : done'));
    expect(batches.map((b) => b[0]?.callId)).toEqual(['node_1_cond', 'node_1_true']);
  });

  it('hands a checker feedback to the next call only', () => {
    const script: Script = (c) =>
      c.operator === 'Review' ? { callId: c.callId, outcome: { text: 'sol', passed: false, feedback: 'wrong unit' } } : echo(c);
    const { batches } = runAll(loaded('Custom -> Review -> Revise -> Format'), script);
    expect(batches.map((b) => b[0]?.feedback)).toEqual([undefined, undefined, 'wrong unit', undefined]);
  });

  it('unrolls loops up to maxLoopIterations', () => {
    const { batches } = runAll(loaded('Custom -> (Revise) * 10', { maxLoopIterations: 3 }));
    expect(batches.map((b) => b[0]?.callId)).toEqual(['node_1', 'node_2_l0', 'node_2_l0#2', 'node_2_l0#3']);
    expect(batches[3]?.[0]?.summary).toBe('node_2_l0 Revise (pass 3/3)');
    expect(batches[3]?.[0]?.inputs).toBe('Revise(Revise(Custom(Q)))');
  });

  it('flattens a final parallel block: numeric majority, else joined', () => {
    expect(flattenCandidates(['12', '14', '14.0', 'about 12'])).toBe('14');
    expect(flattenCandidates(['Paris', 'Lyon'])).toBe('Paris\n---\nLyon');
    const { run } = runAll(loaded('[Custom, AnswerGenerate]'), (c) => ({ callId: c.callId, outcome: { text: '72' } }));
    expect(run.answer).toBe('72');
  });

  it('reports a failed call and an empty answer as errors, never as success', () => {
    const failing: Script = (c) => (c.operator === 'Programmer' ? { callId: c.callId, error: 'SyntaxError: invalid syntax' } : echo(c));
    const { run, batches } = runAll(loaded('Plan -> Programmer -> Format'), failing);
    expect(batches).toHaveLength(2);
    expect(run).toMatchObject({ status: 'failed', error: 'node_2 Programmer failed: SyntaxError: invalid syntax' });
    expect(executionResult(run)).toMatchObject({
      ok: false,
      answer: null,
      calls: [{ ok: true }, { ok: false, error: 'SyntaxError: invalid syntax' }],
    });
    const empty = runAll(loaded('Custom'), (c) => ({ callId: c.callId, outcome: { text: '  ' } }));
    expect(empty.run).toMatchObject({ status: 'failed', error: 'The workflow produced an empty answer.' });
    const missing = recordOutcomes(startExecution(loaded('Custom')), []);
    expect(missing.error).toMatch(/no result came back/);
    const timedOut = failExecution(startExecution(loaded('Custom')), 'execution timed out after 600 s');
    expect(executionResult(timedOut)).toMatchObject({ ok: false, error: 'execution timed out after 600 s' });
    expect(beginRun(planExecution(loaded(''))).status).toBe('failed');
  });

  it('serves unchanged nodes from the cache and re-runs only what changed downstream', () => {
    const s = new Session(MATH, (c) => ({ callId: c.callId, outcome: { text: `${c.operator}[${c.prompt}](${String(c.inputs).length})` } }));
    s.add('Plan');
    s.add('Programmer');
    s.add('Format');
    expect(s.executed.map((c) => c.callId)).toEqual(['node_1', 'node_2', 'node_3']);
    s.executed = [];
    s.turn('<action>set_prompt</action><target>node_2</target><prompt>Compute it with integers.</prompt>');
    expect(s.executed.map((c) => c.callId)).toEqual(['node_2', 'node_3']);
    expect(s.state.lastExecution?.calls.map((c) => c.cached)).toEqual([true, false, false]);
  });

  it('keys the cache on the executor too, so calls planned for another executor miss', () => {
    const s = new Session();
    s.add('Custom');
    const a = startExecution(s.state, { executor: 'executor-a' }).waiting[0];
    const a2 = startExecution(s.state, { executor: 'executor-a' }).waiting[0];
    const b = startExecution(s.state, { executor: 'executor-b' }).waiting[0];
    expect(a?.cacheKey).toBe(a2?.cacheKey);
    expect(b?.cacheKey).not.toBe(a?.cacheKey);
  });

  it('sends a plug-in declared for the director to the director backend, keyed on it', () => {
    const declared = (backend?: 'director' | 'executor') =>
      pluginSpecs([
        {
          name: 'UnitCheck',
          category: 'checking',
          description: 'Checks the units of the answer.',
          instruction: 'Check that every quantity carries its unit.',
          ...(backend ? { backend } : {}),
        },
      ]);
    const state = (backend?: 'director' | 'executor') => loaded('Custom -> UnitCheck', { plugins: declared(backend) });
    const second = (s: CanvasState, backends: { executor?: string; director?: string }) => {
      const first = startExecution(s, backends);
      const next = recordOutcomes(
        first,
        first.waiting.map((c) => ({ callId: c.callId, outcome: { text: 'x' } })),
      );
      return next.waiting[0] as OperatorCall;
    };
    const byDirector = second(state('director'), { executor: 'ex', director: 'dir' });
    expect(byDirector).toMatchObject({ operator: 'UnitCheck', backend: 'director' });
    expect(second(state('director'), { executor: 'other-ex', director: 'dir' }).cacheKey).toBe(byDirector.cacheKey); // the executor does not answer it
    expect(second(state('director'), { executor: 'ex', director: 'other-dir' }).cacheKey).not.toBe(byDirector.cacheKey);
    const byExecutor = second(state('executor'), { executor: 'ex', director: 'dir' });
    expect(byExecutor.backend).toBeUndefined();
    expect(second(state(), { executor: 'ex', director: 'dir' })).toEqual(byExecutor); // the default
    expect(byExecutor.cacheKey).not.toBe(byDirector.cacheKey);
    // a director and an executor of the same name still answer differently (one is the policy being trained)
    expect(second(state('director'), { executor: 'same', director: 'same' }).cacheKey).not.toBe(
      second(state('executor'), { executor: 'same', director: 'same' }).cacheKey,
    );
  });

  it('keys the cache on operator, prompt, inputs and feedback', () => {
    const base = { operator: 'Custom', prompt: 'p', inputs: 'x', problem: 'q', taskType: 'math' };
    const k = nodeCacheKey(base);
    expect(k).toMatch(/^cv:Custom:[0-9a-f]{32}$/);
    expect(nodeCacheKey({ ...base })).toBe(k);
    for (const change of [
      { operator: 'Revise' },
      { prompt: 'p2' },
      { inputs: 'y' },
      { inputs: ['x'] },
      { feedback: 'f' },
      { problem: 'q2' },
      { tests: 't' },
      { executor: 'other' },
    ]) {
      expect(nodeCacheKey({ ...base, ...change })).not.toBe(k);
    }
  });

  it('records the run as an event, and refuses it once the canvas moved on', () => {
    const s = new Session();
    s.add('Custom');
    const run = startExecution(s.state);
    const d = recordExecution(s.state, recordOutcomes(run, run.waiting.map(echo)));
    expect(d.events?.[0]?.type).toBe('ExecutionRecorded');
    s.add('Format');
    const stale = recordExecution(s.state, recordOutcomes(run, run.waiting.map(echo)));
    expect(stale.rejection?.code).toBe('stale_execution');
    expect(replay(s.events)).toEqual(s.state);
  });
});
