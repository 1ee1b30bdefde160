import type { WorkflowHandle } from '@temporalio/client';
import { MAX_TURNS, sessionInputProblems, type BenchTask, type SessionResult } from '@flowsteer/contracts';
import { temporalNamespace, temporalUiUrl } from '../paths';
import { CliError } from '../processes';
import { adHocTask, collidingIds, parseTaskType, tasksFromFile } from '../solve/problems';
import { declaredPlugins, maxProblemBytes } from '../solve/limits';
import { loadDatasetTasks } from '../solve/datasets';
import { awaitSession, peekCanvas, sessionInput, startSession, type SessionSettings } from '../solve/sessions';
import { exitCodeOf, renderNotes, renderTable, solveRow } from '../solve/table';
import { connectClient } from '../temporal';

export interface SolveOptions {
  dataset?: string;
  file?: string;
  problem?: string;
  answer?: string;
  taskType: string;
  limit: string;
  seed: string;
  director: string;
  executor: string;
  maxTurns: string;
  promptMode: string;
  json?: boolean;
}

export function uiLink(workflowId: string): string {
  return `${temporalUiUrl()}/namespaces/${temporalNamespace()}/workflows/${encodeURIComponent(workflowId)}`;
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag} must be a positive integer, not "${value}"`);
  return n;
}

function chooseTasks(opts: SolveOptions): BenchTask[] {
  const sources = [opts.dataset, opts.file, opts.problem].filter((s) => s !== undefined);
  if (sources.length !== 1) throw new CliError('give exactly one of --dataset NAME, --file PATH or --problem "text"');
  const limit = positiveInt(opts.limit, '--limit');
  if (opts.problem !== undefined) return [adHocTask(opts.problem, parseTaskType(opts.taskType), opts.answer)];
  if (opts.file !== undefined) {
    const { tasks, problems } = tasksFromFile(opts.file, parseTaskType(opts.taskType));
    for (const p of problems) console.error(`skipped ${p}`);
    if (!tasks.length) throw new CliError(`no usable problems in ${opts.file}`);
    return tasks.slice(0, limit);
  }
  return loadDatasetTasks(opts.dataset as string, limit, positiveInt(opts.seed, '--seed'));
}

/** `flowsteer solve`: one durable session per problem, live progress, then a results table. */
export async function solve(opts: SolveOptions): Promise<void> {
  const tasks = chooseTasks(opts);
  if (opts.promptMode !== 'compact' && opts.promptMode !== 'full-history') throw new CliError('--prompt-mode is compact or full-history');
  const settings: SessionSettings = {
    director: opts.director,
    executor: opts.executor,
    maxTurns: positiveInt(opts.maxTurns, '--max-turns'),
    promptMode: opts.promptMode,
    plugins: declaredPlugins(),
  };
  if (settings.maxTurns > MAX_TURNS) throw new CliError(`--max-turns must be at most ${MAX_TURNS}, not ${settings.maxTurns}`);
  const clashes = collidingIds(tasks);
  if (clashes.length) throw new CliError(`problem ids must be unique (nothing was started): ${clashes.join('; ')}`);
  const cap = maxProblemBytes();
  const invalid = tasks.flatMap((t) =>
    sessionInputProblems(sessionInput(t, settings), { maxProblemBytes: cap }).map((p) => `${t.dataset}/${t.id}: ${p}`),
  );
  if (invalid.length) throw new CliError(`nothing was started:\n  ${invalid.join('\n  ')}`);
  const suffix = Date.now().toString(36);
  const { client, connection } = await connectClient();
  try {
    const handles: WorkflowHandle[] = [];
    for (const task of tasks) handles.push(await startSession(client, task, settings, suffix));
    if (!opts.json) {
      console.log(`started ${handles.length} session(s) on director "${settings.director}", executor "${settings.executor}"`);
      for (const h of handles) console.log(`  ${h.workflowId}  ${uiLink(h.workflowId)}`);
    }
    const stopProgress = opts.json ? () => undefined : showProgress(handles);
    const outcomes = await Promise.all(handles.map(awaitSession));
    stopProgress();
    const rows = outcomes.map((outcome, i) => solveRow(`${tasks[i]?.dataset}/${tasks[i]?.id}`, tasks[i]?.answers ?? [], outcome, uiLink));
    if (opts.json) {
      console.log(JSON.stringify({ rows, results: outcomes.map((o) => (o.ok ? summary(o.result) : o)) }, null, 2));
    } else {
      console.log(`\n${renderTable(rows)}`);
      const notes = renderNotes(rows);
      if (notes) console.log(`\n${notes}`);
      const scored = outcomes.filter((o) => o.ok && o.result.score);
      if (scored.length) {
        const mean = scored.reduce((s, o) => s + (o.ok && o.result.score ? o.result.score.primary : 0), 0) / scored.length;
        console.log(`\nmean score ${mean.toFixed(3)} over ${scored.length} scored session(s)`);
      }
    }
    process.exitCode = exitCodeOf(outcomes);
  } finally {
    await connection.close();
  }
}

function summary(r: SessionResult) {
  return r;
}

/** Prints a line whenever a session's turn or workflow changes (queries every 2 s). */
function showProgress(handles: WorkflowHandle[]): () => void {
  const last = new Map<string, string>();
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      await Promise.all(
        handles.map(async (h) => {
          const view = await peekCanvas(h);
          if (!view) return;
          const waiting = view.waiting
            ? ` (${view.waiting.reason.slice(0, 160)}; next try ${new Date(view.waiting.nextTryAt).toISOString().slice(11, 19)})`
            : '';
          const line = `turn ${view.turn}/${view.maxTurns} ${view.status}${waiting} · ${view.dsl || '(empty canvas)'}`;
          if (last.get(h.workflowId) !== line) {
            last.set(h.workflowId, line);
            console.log(`[${h.workflowId}] ${line}`);
          }
        }),
      );
    } catch {
      // a query that fails now (worker busy, session starting) is asked again on the next tick
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), 2000);
  return () => clearInterval(timer);
}
