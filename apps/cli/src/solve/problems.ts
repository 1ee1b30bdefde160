import { readFileSync } from 'node:fs';
import { sessionWorkflowId, type BenchTask, type BenchTaskType } from '@flowsteer/contracts';
import { CliError } from '../processes';

const TASK_TYPES: BenchTaskType[] = ['math', 'qa', 'code', 'multiple-choice'];

export function parseTaskType(value: string): BenchTaskType {
  if (!TASK_TYPES.includes(value as BenchTaskType))
    throw new CliError(`--task-type must be one of ${TASK_TYPES.join(', ')}, not "${value}"`);
  return value as BenchTaskType;
}

/** `--problem "text"`: one ad-hoc task without gold answers (so it is not scored). */
export function adHocTask(text: string, taskType: BenchTaskType, answer?: string): BenchTask {
  if (!text.trim()) throw new CliError('--problem is empty');
  return { dataset: 'adhoc', id: '1', taskType, problem: text.trim(), answers: answer ? [answer] : [] };
}

/**
 * `--file problems.jsonl`: the user's own problems, one JSON object a line with `problem` (or
 * `question`), optional `answer`/`answers`, `taskType`, `id`. Bad lines are reported and skipped.
 */
export function tasksFromFile(path: string, defaultType: BenchTaskType): { tasks: BenchTask[]; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read --file ${path}: ${(err as Error).message}`);
  }
  const tasks: BenchTask[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    const where = `${path}:${index + 1}`;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch (err) {
      problems.push(`${where}: not JSON (${(err as Error).message})`);
      return;
    }
    const problem = record.problem ?? record.question;
    if (typeof problem !== 'string' || !problem.trim()) {
      problems.push(`${where}: needs a non-empty "problem" (or "question") string`);
      return;
    }
    const answers = Array.isArray(record.answers) ? record.answers.map(String) : record.answer !== undefined ? [String(record.answer)] : [];
    const taskType =
      typeof record.taskType === 'string' && TASK_TYPES.includes(record.taskType as BenchTaskType)
        ? (record.taskType as BenchTaskType)
        : defaultType;
    tasks.push({ dataset: 'file', id: String(record.id ?? index + 1), taskType, problem: problem.trim(), answers });
  });
  return { tasks, problems };
}

/**
 * Ids that would start two sessions under one workflow id (the same id twice, or two ids that the
 * workflow-id rules map to the same text). Checked before anything starts.
 */
export function collidingIds(tasks: readonly BenchTask[]): string[] {
  const seen = new Map<string, string>();
  const clashes: string[] = [];
  for (const t of tasks) {
    const key = sessionWorkflowId(t.dataset, t.id, '');
    const earlier = seen.get(key);
    if (earlier !== undefined)
      clashes.push(earlier === t.id ? `"${t.id}" appears twice` : `"${earlier}" and "${t.id}" give the same workflow id`);
    else seen.set(key, t.id);
  }
  return clashes;
}
