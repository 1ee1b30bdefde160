import { ApplicationFailure, CancellationScope, ContinueAsNew, isCancellation, upsertMemo, workflowInfo } from '@temporalio/workflow';
import { EMPTY_STATE, isTerminal, openCanvas, pluginSpecs, type CanvasState } from '@flowsteer/canvas';
import { needsStoring, sandboxQueueFor, type SessionInput, type SessionResult } from '@flowsteer/contracts';
import { llmCallsOf, sessionActivities, type SessionActivityProxies } from './proxies';
import { continueSession, shouldContinueAsNew } from './continue';
import { SessionControl, setStatus } from './control';
import { showDetails } from './details';
import { failSession, finishSession } from './finish';
import { runFixedWorkflow } from './fixed-workflow';
import { OutageBudgetSpent, StoppedDuringOutage } from './outage';
import { SessionRecord } from './session-record';
import { applyHumanActions, directorTurn } from './turns';
import { checkSessionInput } from './validate';

/**
 * One problem worked by the director on the canvas (DESIGN §4). Each turn: a policy turn activity,
 * the pure canvas decides and folds, the workflow executes when the graph changed, and the feedback
 * is rendered for the next turn. The history is the event log; the canvas is the fold of its events.
 *
 * Long sessions are a chain of runs: before a run's history passes its budget, the session stores
 * the run's segment (events, transcript) in the artifact store and continues as new from a compact
 * snapshot of the canvas. Long texts travel by reference. A backend that stops answering makes the
 * session wait (status `waiting-for-backend`), and only an exhausted outage budget ends it
 * (`backend-unavailable`); an outage is never fed to the director and never becomes a result.
 */
export async function canvasSession(input: SessionInput): Promise<SessionResult> {
  const problems = await checkSessionInput(input);
  if (problems.length) throw ApplicationFailure.nonRetryable(`invalid session input: ${problems.join('; ')}`, 'InvalidSessionInput');
  const activities = sessionActivities(
    input.limits,
    input.sandboxTaskQueue ?? sandboxQueueFor(workflowInfo().taskQueue),
    llmCallsOf(input),
  );
  const control = new SessionControl(input.carry);
  const record = await openSession(input, activities);
  record.backends = { director: input.directorBackend, executor: input.executorBackend };
  control.register(record);
  showDetails(record);
  if (record.run === 0) upsertMemo({ problem: input.task.problem.slice(0, 200), dataset: input.task.dataset, item: input.task.id });
  if (control.paused) setStatus(record, 'paused');

  try {
    if (input.fixedWorkflow && record.run === 0) await runFixedWorkflow(record, input, activities, control);
    while (!input.fixedWorkflow && !isTerminal(record.state) && control.stopRequested === null) {
      await control.mayProceed();
      await applyHumanActions(record, control, input, activities);
      if (control.paused || control.stopRequested !== null || isTerminal(record.state)) continue;
      if (shouldContinueAsNew(record, input.limits, activities.unsynced)) return await continueSession(record, control, input, activities);
      await directorTurn(record, control, input, activities);
      showDetails(record);
    }
    await applyHumanActions(record, control, input, activities);
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(() => finishSession(record, input, activities, 'cancelled'));
      throw err;
    }
    if (err instanceof OutageBudgetSpent) return finishSession(record, input, activities, 'backend-unavailable', err.message);
    if (err instanceof StoppedDuringOutage) return finishSession(record, input, activities, 'cancelled', err.message);
    return failSession(record, activities, err);
  }
  const status =
    control.stopRequested !== null ? 'cancelled' : input.fixedWorkflow || record.state.phase === 'finished' ? 'finished' : 'turn-limit';
  return finishSession(record, input, activities, status, control.stopRequested ?? undefined);
}

/** The first run opens the canvas (or a fork's snapshot); later runs resume from the carried snapshot. */
async function openSession(input: SessionInput, activities: SessionActivityProxies): Promise<SessionRecord> {
  const { task } = input;
  if (input.carry) return new SessionRecord({ state: input.carry.state as CanvasState, carry: input.carry });
  let record: SessionRecord;
  if (input.startFrom) {
    const { sessionId, turn } = input.startFrom;
    const point = await activities.forkPoint.executeWithOptions({ summary: `fork of ${sessionId} at turn ${turn}` }, [{ sessionId, turn }]);
    const state = point.state as CanvasState;
    const forked = { ...state, options: { ...state.options, maxTurns: input.limits.maxTurns } };
    record = new SessionRecord({ state: forked, forkedFrom: { sessionId, turn } });
  } else {
    const opened = openCanvas({
      problem: task.problem,
      taskType: task.taskType,
      maxTurns: input.limits.maxTurns,
      ...(task.code?.entryPoint ? { entryPoint: task.code.entryPoint } : {}),
      ...(task.code?.tests ? { tests: task.code.tests } : {}),
      ...(input.fixedWorkflow ? { workflow: input.fixedWorkflow.dsl } : {}),
      ...(input.plugins?.length ? { plugins: pluginSpecs(input.plugins) } : {}),
    });
    if (opened.rejection)
      throw ApplicationFailure.nonRetryable(`invalid session options: ${opened.rejection.reason}`, 'InvalidSessionInput');
    record = new SessionRecord({ events: opened.events, state: EMPTY_STATE });
  }
  // Long problems and tests go to the store once and travel by reference from then on.
  if (needsStoring(task.problem))
    record.problemText = await activities.storeText.executeWithOptions({ summary: 'store problem' }, [{ text: task.problem }]);
  const tests = task.code?.tests;
  if (tests && needsStoring(tests))
    record.testsText = await activities.storeText.executeWithOptions({ summary: 'store tests' }, [{ text: tests }]);
  return record;
}
