import { isTextValue, joinTexts, type TextValue } from '@flowsteer/contracts';
import type { Decision } from '../decider/decide';
import { decide } from '../decider/decide';
import type { CanvasState, CallRecord, ExecutionResult } from '../decider/state';
import { clip } from '../util/text';
import { planExecution } from './build';
import { nodeCacheKey } from './cache-key';
import type { CallResult, ExecutionPlan, ExecutionRun, OperatorCall, PlannedCall } from './types';

/**
 * A pure interpreter of the plan. The workflow loop is:
 *
 *   let run = startExecution(state);
 *   while (run.status === 'running') run = recordOutcomes(run, await runAll(run.waiting));
 *   const { events } = recordExecution(state, run);
 *
 * Cache hits are served without a call; a failed call fails the run with a precise error (never an
 * empty success).
 */
export function startExecution(state: CanvasState, context: { executor?: string; director?: string } = {}): ExecutionRun {
  const plan = planExecution(state);
  return beginRun(
    { ...plan, ...(context.executor ? { executor: context.executor } : {}), ...(context.director ? { director: context.director } : {}) },
    state.cache,
  );
}

/** Starts a run of a given plan with a node cache (keyed by call id). */
export function beginRun(plan: ExecutionPlan, cache: ExecutionRun['cache'] = {}): ExecutionRun {
  const run: ExecutionRun = {
    plan,
    status: 'running',
    waiting: [],
    stage: 0,
    part: 'check',
    current: plan.problem,
    feedback: null,
    resolved: {},
    calls: [],
    branches: [],
    error: null,
    answer: null,
    cache,
  };
  if (plan.stages.length === 0) return { ...run, status: 'failed', error: 'The workflow is empty: there is nothing to run.' };
  return advance(run);
}

/** Feeds the results of `run.waiting` back and runs on to the next batch (or the end). */
export function recordOutcomes(run: ExecutionRun, results: readonly CallResult[]): ExecutionRun {
  if (run.status !== 'running') return run;
  const resolved = { ...run.resolved };
  const calls = run.calls.slice();
  for (const call of run.waiting) {
    const result = results.find((r) => r.callId === call.callId);
    const base = { callId: call.callId, nodeId: call.nodeId, operator: call.operator, cacheKey: call.cacheKey, cached: false };
    if (!result || 'error' in result || !isTextValue(result.outcome?.text)) {
      const why = !result ? 'no result came back' : 'error' in result ? result.error : 'the result has no text';
      calls.push({ ...base, ok: false, text: null, passed: null, feedback: null, error: clip(why, 1000) });
      return { ...run, calls, waiting: [], resolved: {}, status: 'failed', error: `${call.summary} failed: ${clip(why, 500)}` };
    }
    resolved[call.callId] = {
      text: result.outcome.text,
      passed: typeof result.outcome.passed === 'boolean' ? result.outcome.passed : null,
      feedback: typeof result.outcome.feedback === 'string' ? result.outcome.feedback : null,
      cached: false,
      cacheKey: call.cacheKey,
    };
  }
  return advance({ ...run, calls, waiting: [], resolved });
}

/** Ends a run as failed (e.g. the whole execution timed out); reported as an error, never as success. */
export function failExecution(run: ExecutionRun, reason: string): ExecutionRun {
  if (run.status !== 'running') return run;
  return { ...run, status: 'failed', waiting: [], error: reason };
}

/** The result to record: what ran, what was served from cache, the answer or the error. */
export function executionResult(run: ExecutionRun): ExecutionResult {
  return {
    revision: run.plan.revision,
    ok: run.status === 'succeeded',
    answer: run.status === 'succeeded' ? run.answer : null,
    error: run.status === 'succeeded' ? null : (run.error ?? 'The execution did not finish.'),
    calls: run.calls,
    branches: run.branches,
  };
}

/** The `ExecutionRecorded` event for a finished run (or why it cannot be recorded: a stale revision). */
export function recordExecution(state: CanvasState, run: ExecutionRun): Decision {
  return decide(state, { type: 'record_execution', result: executionResult(run) });
}

function batchOf(run: ExecutionRun): PlannedCall[] | null {
  const stage = run.plan.stages[run.stage];
  if (!stage) return null;
  switch (stage.kind) {
    case 'operator':
      return [stage.call];
    case 'parallel':
      return stage.calls;
    case 'conditional':
      if (run.part === 'check') return [stage.check];
      if (run.part === 'fix') return [stage.fix];
      return stage.otherwise ? [stage.otherwise] : [];
  }
}

function toCall(run: ExecutionRun, planned: PlannedCall): OperatorCall {
  const plan = run.plan;
  const inputs = Array.isArray(run.current) ? run.current.slice() : run.current;
  const cacheKey = nodeCacheKey({
    operator: planned.operator,
    prompt: planned.prompt,
    inputs,
    feedback: run.feedback,
    problem: plan.problem,
    taskType: plan.taskType,
    entryPoint: plan.entryPoint,
    tests: plan.tests,
    // who answers: a call answered by the director backend never shares a key with an executor's
    executor: planned.backend === 'director' ? `director:${plan.director ?? ''}` : (plan.executor ?? null),
  });
  return {
    callId: planned.callId,
    nodeId: planned.nodeId,
    operator: planned.operator,
    prompt: planned.prompt,
    problem: plan.problem,
    taskType: plan.taskType,
    inputs,
    ...(run.feedback !== null ? { feedback: run.feedback } : {}),
    ...(plan.entryPoint !== null ? { entryPoint: plan.entryPoint } : {}),
    ...(plan.tests !== null ? { tests: plan.tests } : {}),
    cacheKey,
    ...(planned.backend ? { backend: planned.backend } : {}),
    summary: `${planned.nodeId} ${planned.operator}${planned.loop ? ` (pass ${planned.loop.pass}/${planned.loop.passes})` : ''}`,
  };
}

function advance(start: ExecutionRun): ExecutionRun {
  let run = start;
  for (;;) {
    const batch = batchOf(run);
    if (batch === null) return finish(run);
    if (batch.length === 0) {
      run = { ...run, stage: run.stage + 1, part: 'check' };
      continue;
    }
    const resolved = { ...run.resolved };
    const waiting: OperatorCall[] = [];
    const calls = run.calls.slice();
    for (const planned of batch) {
      if (resolved[planned.callId]) continue;
      const call = toCall(run, planned);
      const hit = run.cache[planned.callId];
      if (hit && hit.cacheKey === call.cacheKey) {
        resolved[planned.callId] = { text: hit.text, passed: hit.passed, feedback: hit.feedback, cached: true, cacheKey: call.cacheKey };
      } else {
        waiting.push(call);
      }
    }
    if (waiting.length > 0) return { ...run, resolved, waiting, calls };
    run = applyBatch({ ...run, resolved, calls }, batch);
  }
}

function applyBatch(run: ExecutionRun, batch: PlannedCall[]): ExecutionRun {
  const outs = batch.map((p) => ({ planned: p, out: run.resolved[p.callId] as NonNullable<ExecutionRun['resolved'][string]> }));
  const records: CallRecord[] = outs.map(({ planned, out }) => ({
    callId: planned.callId,
    nodeId: planned.nodeId,
    operator: planned.operator,
    cacheKey: out.cacheKey,
    cached: out.cached,
    ok: true,
    text: out.text,
    passed: out.passed,
    feedback: out.feedback,
    error: null,
  }));
  const calls = [...run.calls, ...records];
  const stage = run.plan.stages[run.stage];
  const base = { ...run, calls, resolved: {} };
  if (stage?.kind === 'parallel') {
    return { ...base, current: outs.map((o) => o.out.text), feedback: null, stage: run.stage + 1, part: 'check' };
  }
  const only = outs[0];
  if (!only) return { ...base, stage: run.stage + 1, part: 'check' };
  const feedback = only.out.passed !== null ? only.out.feedback : null;
  if (stage?.kind === 'conditional' && run.part === 'check') {
    const passed = only.out.passed === true;
    const ran = passed ? (stage.otherwise ? 'otherwise' : 'done') : 'fix';
    const branches = [...run.branches, { nodeId: stage.nodeId, passed, ran } as const];
    if (ran === 'done') return { ...base, branches, current: only.out.text, feedback: null, stage: run.stage + 1, part: 'check' };
    return { ...base, branches, current: only.out.text, feedback, part: ran };
  }
  return { ...base, current: only.out.text, feedback, stage: run.stage + 1, part: 'check' };
}

function finish(run: ExecutionRun): ExecutionRun {
  const answer = Array.isArray(run.current) ? flattenCandidates(run.current) : run.current;
  if (typeof answer === 'string' && answer.trim() === '')
    return { ...run, status: 'failed', waiting: [], error: 'The workflow produced an empty answer.' };
  return { ...run, status: 'succeeded', waiting: [], answer };
}

/**
 * One answer from a parallel block's outputs when nothing combines them: the most common numeric
 * value when some entries are numbers (first in order on ties), otherwise the entries joined.
 */
export function flattenCandidates(values: readonly TextValue[]): TextValue {
  const numbers = values.map((v) => (typeof v === 'string' && /^\s*[-+]?\d+(?:\.\d+)?\s*$/.test(v) ? String(Number(v)) : null));
  const counts = new Map<string, number>();
  for (const n of numbers) if (n !== null) counts.set(n, (counts.get(n) ?? 0) + 1);
  if (counts.size > 0) {
    let best: string | null = null;
    for (const n of numbers) if (n !== null && (best === null || (counts.get(n) ?? 0) > (counts.get(best) ?? 0))) best = n;
    return best as string;
  }
  return joinTexts(values, '\n---\n');
}
