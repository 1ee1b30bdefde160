import { TypedSearchAttributes } from '@temporalio/common';
import { z } from 'zod/v4';
import { backendNameSchema, datasetNameSchema, labelSchema, promptModeSchema } from './names';
import { SA } from './search-attributes';
import { pluginOperatorsProblems } from './plugins';
import { sessionInputProblemsWithoutPlugins } from './session-input';
import {
  DEFAULT_MAX_PROBLEM_BYTES,
  DEFAULT_SANDBOX_START_TIMEOUT_SEC,
  MAX_PROBLEM_BYTES_CEILING,
  MAX_TURNS,
  TERMINAL_SESSION_STATUSES,
  type SessionInput,
} from './session';
import { sessionStaticDetails, sessionStaticSummary } from './ui-text';

const safeIdPart = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);

/** `session-<dataset>-<item>-<suffix>` (DESIGN §5), the one convention of CLI, API and runs. */
export function sessionWorkflowId(dataset: string, itemId: string, suffix: string): string {
  return `session-${safeIdPart(dataset)}-${safeIdPart(itemId)}-${suffix}`;
}

/**
 * What every starter of a `canvasSession` gives Temporal besides the task queue: the id, the
 * input, a memo with a problem summary, the UI's summary and details, and the FlowSteer search attributes (DESIGN §5), the
 * owner (`FlowSteerOwner`: the principal that started it) included when known.
 */
export function sessionStartOptions(input: SessionInput, suffix: string, memo: Record<string, unknown> = {}, owner?: string) {
  const { task } = input;
  return {
    workflowId: sessionWorkflowId(task.dataset, task.id, suffix),
    args: [input] as [SessionInput],
    memo: { problem: task.problem.slice(0, 200), ...memo },
    staticSummary: sessionStaticSummary(input),
    staticDetails: sessionStaticDetails(input),
    typedSearchAttributes: new TypedSearchAttributes([
      { key: SA.dataset, value: task.dataset },
      { key: SA.taskType, value: task.taskType },
      { key: SA.status, value: 'running' },
      { key: SA.turns, value: 0 },
      ...(input.policyVersion ? [{ key: SA.policyVersion, value: input.policyVersion }] : []),
      ...(input.run ? [{ key: SA.run, value: input.run }] : []),
      ...(owner ? [{ key: SA.owner, value: owner }] : []),
    ]),
  };
}

/**
 * Everything wrong with a session input, in words (empty when it may start). The same checks run
 * at every edge — the CLI, the API and the workflow itself — so a session that starts can run.
 * `maxProblemBytes` is the deployment's cap (the workflow applies the hard ceiling).
 */
export function sessionInputProblems(input: SessionInput, options: { maxProblemBytes?: number } = {}): string[] {
  const problems = sessionInputProblemsWithoutPlugins(input, options);
  if (input?.plugins !== undefined) problems.push(...pluginOperatorsProblems(input.plugins));
  return problems;
}

/**
 * A session's status as people should read it. A session the server ended (terminated, timed out)
 * or whose workflow failed never got to set `FlowSteerStatus` to a terminal value; the execution
 * status says how it really ended.
 */
export function effectiveSessionStatus(executionStatus: string, recorded: string | undefined): string | undefined {
  const terminal = (TERMINAL_SESSION_STATUSES as readonly string[]).includes(recorded ?? '');
  if (terminal || executionStatus === 'RUNNING' || executionStatus === 'CONTINUED_AS_NEW') return recorded;
  if (executionStatus === 'CANCELED' || executionStatus === 'CANCELLED') return 'cancelled';
  if (executionStatus === 'TERMINATED' || executionStatus === 'TIMED_OUT' || executionStatus === 'FAILED') return 'failed';
  return recorded;
}
export const TASK_TYPES = ['math', 'qa', 'code', 'multiple-choice'] as const;
export const taskTypeSchema = z.enum(TASK_TYPES);

/** Per-session limits (`SessionLimits` is this schema's output). */
/**
 * How a session makes its director and executor calls. "activity": regular activities, each a task
 * in the history, heartbeated; the workflow task ends at every call, so signals (pause, cancel),
 * updates (a person's edit) and queries are handled at once. "local": local activities on the
 * session's own worker, several turns in one workflow task: 2.9x–4.3x less orchestration per turn
 * (bench/RESULTS.md, issue 18), but signals, updates and queries wait until that task ends (the
 * worker's task heartbeat, ~8 s); a killed worker makes the call again. Sessions people steer use
 * "activity" (the default); evaluation and training rollouts default to "local".
 */
export const llmCallsSchema = z.enum(['local', 'activity']);
export type LlmCalls = z.output<typeof llmCallsSchema>;

export const sessionLimitsSchema = z
  .object({
    maxTurns: z.number().int().min(1).max(MAX_TURNS).default(20).describe('director turns before the session ends unfinished'),
    operatorTimeoutSec: z.number().int().min(1).max(3600).optional().describe('per-operator activity timeout'),
    directorTimeoutSec: z.number().int().min(1).max(3600).optional().describe('per-director-turn activity timeout'),
    historyBudget: z
      .object({
        maxEvents: z.number().int().min(50).max(50_000).optional(),
        maxBytes: z
          .number()
          .int()
          .min(65_536)
          .max(40 * 1024 * 1024)
          .optional(),
      })
      .strict()
      .optional()
      .describe('continue as new before one run of the session passes either bound (default 3000 events / 3 MB)'),
    outageBudgetSec: z
      .number()
      .positive()
      .max(7 * 24 * 3600)
      .optional()
      .describe('how long to wait through a backend outage before ending backend-unavailable (default 1800)'),
    outageRetrySec: z.number().positive().max(3600).optional().describe('first wait during an outage, doubling to 5 minutes (default 15)'),
    sandboxStartTimeoutSec: z
      .number()
      .positive()
      .max(3600)
      .optional()
      .describe(
        `how long a code run or code scoring may wait for a sandbox worker to pick it up before the session fails (default ${DEFAULT_SANDBOX_START_TIMEOUT_SEC})`,
      ),
    llmCalls: llmCallsSchema
      .optional()
      .describe('how director and executor calls run (default "activity"; "local" for bulk sessions, see llmCallsSchema)'),
  })
  .strict();

/**
 * What a client gives to start one session: an ad-hoc problem, or one item of a benchmark, plus
 * the backends (by name) and the session's options. The REST API's body; the server turns it
 * into a `SessionInput` (the task is resolved on the server, never taken from the client).
 */
export const sessionStartRequestSchema = z
  .object({
    problem: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(MAX_PROBLEM_BYTES_CEILING)
      .optional()
      .describe('problem text (or give dataset + item)'),
    taskType: taskTypeSchema.default('math').describe('task type of an ad-hoc problem'),
    answers: z.array(z.string().max(10_000)).max(50).optional().describe('gold answers of an ad-hoc problem (then it is scored)'),
    dataset: datasetNameSchema.optional().describe('benchmark name (gsm8k, math, hotpotqa, ...)'),
    item: z.string().min(1).max(200).optional().describe('item id inside the dataset'),
    director: backendNameSchema.default('local').describe('director backend name'),
    executor: backendNameSchema.default('local').describe('executor backend name'),
    limits: sessionLimitsSchema.default({ maxTurns: 20 }),
    promptMode: promptModeSchema.default('compact'),
    directorTemperature: z.number().min(0).max(2).optional(),
    policyVersion: labelSchema.optional(),
    run: labelSchema.optional().describe('evaluation or training run this session belongs to'),
    recordTrajectory: z.boolean().optional(),
    idSuffix: labelSchema.optional().describe('last part of the workflow id; default: time + random. Reusing one gives 409'),
  })
  .strict()
  .superRefine((body, ctx) => {
    const hasProblem = body.problem !== undefined;
    const hasItem = body.dataset !== undefined || body.item !== undefined;
    if (hasProblem === hasItem)
      ctx.addIssue({ code: 'custom', path: ['problem'], message: 'give exactly one of "problem" or "dataset" + "item"' });
    if (body.dataset !== undefined && body.item === undefined)
      ctx.addIssue({ code: 'custom', path: ['item'], message: 'required with "dataset"' });
    if (body.item !== undefined && body.dataset === undefined)
      ctx.addIssue({ code: 'custom', path: ['dataset'], message: 'required with "item"' });
  });
export type SessionStartRequest = z.output<typeof sessionStartRequestSchema>;

/** The deployment's problem-size cap from its setting (`FLOWSTEER_MAX_PROBLEM_BYTES`); throws on a bad value. */
export function maxProblemBytesFrom(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_MAX_PROBLEM_BYTES;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PROBLEM_BYTES_CEILING) {
    throw new Error(`FLOWSTEER_MAX_PROBLEM_BYTES must be a whole number from 1 to ${MAX_PROBLEM_BYTES_CEILING}, not "${raw}"`);
  }
  return n;
}
