import { condition, continueAsNew, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { SA, evalProgressQuery, type EvalDatasetPlan, type EvalMethod, type EvalRunInput, type EvalRunResult } from '@flowsteer/contracts';
import { evalActivities } from './proxies';
import { runSuffix, unitKey } from './ids';
import { buildProgress, buildReport, checkInput } from './report';
import { ResultStore } from './result-store';
import { TaskFeed, advance } from './task-feed';
import { runUnit, type UnitContext } from './units';
import { RunControl } from '../shared/run-control';

/** Continue-as-new threshold when the input sets none (the server may suggest it earlier). */
const DEFAULT_CAN_EVENTS = 5000;

/**
 * An evaluation run (issue 7): samples each dataset (seeded), runs one `canvasSession` child per
 * item — and, with `baselines`, a direct executor answer and a fixed hand-written workflow — at most
 * `concurrency` at once, tolerates failed units (counted and reported), honours pause / resume /
 * stop, answers the `progress` query, continues as new when the history grows (finished results
 * travel as artifact references) and ends with the aggregated report written to disk.
 *
 * Idempotency: every unit has a key (`<method>/<dataset>/<item>`) and a session id derived from the
 * run id, so a continued or restarted run skips finished units, and a restarted run that meets a
 * finished child (id reuse policy: duplicates only after failure) takes its recorded outcome.
 */
export async function evalRun(input: EvalRunInput): Promise<EvalRunResult> {
  const runId = workflowInfo().workflowId;
  const acts = evalActivities();
  const methods: EvalMethod[] = input.baselines ? ['direct', 'fixed', 'flowsteer'] : ['flowsteer'];
  const store = new ResultStore(runId, acts);
  let plan: EvalDatasetPlan[] = input.carry?.plan ?? [];
  const control = new RunControl();
  const unit: UnitContext = {
    input,
    runId,
    suffix: runSuffix(runId, input.name),
    owner: workflowInfo().typedSearchAttributes.get(SA.owner),
    acts,
  };
  let inflight = 0;

  setHandler(evalProgressQuery, () => buildProgress(control.phase, plan, methods, store.results));
  upsertSearchAttributes([
    { key: SA.run, value: runId },
    { key: SA.status, value: 'running' },
  ]);

  checkInput(input);
  if (input.carry) await store.restore(input.carry.resultRefs);
  else plan = await acts.planEval({ datasets: input.datasets, perDataset: input.perDataset, seed: input.seed });
  control.begin();

  let cursor = { ...(input.carry?.cursor ?? { dataset: 0, offset: 0 }) };
  const tasks = new TaskFeed(plan, input, acts);
  const canAfter = input.continueAsNewAfterEvents ?? DEFAULT_CAN_EVENTS;

  while (cursor.dataset < plan.length && !control.stopping) {
    await control.waitUntilMayProceed();
    if (control.stopping) break;
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength >= canAfter) {
      await condition(() => inflight === 0); // children finish first: nothing is cut off
      const resultRefs = await store.persist();
      return continueAsNew<typeof evalRun>({
        ...input,
        carry: { resultRefs, cursor, plan, generation: (input.carry?.generation ?? 0) + 1 },
      });
    }
    const task = await tasks.at(cursor);
    cursor = advance(cursor, plan);
    if (!task) continue;
    for (const method of methods) {
      if (store.has(unitKey(method, task.dataset, task.id))) continue;
      await condition(() => (inflight < input.concurrency && !control.paused) || control.stopping);
      if (control.stopping) break;
      inflight += 1;
      void runUnit(unit, method, task)
        .then((r) => store.add(r))
        .finally(() => {
          inflight -= 1;
        });
    }
  }
  await condition(() => inflight === 0);
  control.phase = control.stopping ? 'stopped' : 'finished';

  const report = buildReport(input, plan, methods, store.results);
  report.resultRefs = await store.persist();
  report.files = await acts.writeEvalReport.executeWithOptions({ summary: 'write report' }, [
    { runId, report: { ...report, files: undefined }, resultRefs: report.resultRefs },
  ]);
  upsertSearchAttributes([{ key: SA.status, value: control.phase }]);
  return {
    runId,
    status: control.stopping ? 'stopped' : 'finished',
    report,
    ...(control.stopReason !== null ? { error: control.stopReason } : {}),
  };
}
