import { type CodeRunRequest, type CodeRunResult, TASK_QUEUES } from '@flowsteer/contracts';
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { withHeartbeat } from '@flowsteer/temporal-runtime/activity';
import { SandboxRequestError, SandboxUnavailableError } from './errors';
import { type SandboxOptions, SandboxRunner } from './runner';

/** The task queue of sandbox workers (DESIGN §5): code execution runs in its own pool. */
export const SANDBOX_TASK_QUEUE = TASK_QUEUES.sandbox;

/** Failure types the activity raises; both are non-retryable (retrying cannot help). */
export const SANDBOX_FAILURE = {
  unavailable: 'SandboxUnavailable',
  badRequest: 'SandboxBadRequest',
} as const;

export interface SandboxActivitiesOptions {
  /** A runner to use; otherwise one is created (and probed) from `sandbox` on first use. */
  runner?: SandboxRunner | Promise<SandboxRunner>;
  sandbox?: SandboxOptions;
  /**
   * How often the activity heartbeats while code runs. Default: a third of the activity's
   * heartbeat timeout when it has one, else 10 s (at most 10 s).
   */
  heartbeatIntervalMs?: number;
}

export interface SandboxActivities {
  runCode(req: CodeRunRequest): Promise<CodeRunResult>;
}

/**
 * The `runCode` activity for workers on SANDBOX_TASK_QUEUE. It heartbeats while the program runs
 * (details: `{ phase, elapsedMs }`), and a cancelled activity kills its program and rethrows the
 * cancellation. A worker without isolation fails every run with a non-retryable
 * `SandboxUnavailable` failure that says how to fix it.
 */
export function createSandboxActivities(options: SandboxActivitiesOptions = {}): SandboxActivities {
  let runner: Promise<SandboxRunner> | undefined = options.runner ? Promise.resolve(options.runner) : undefined;
  const getRunner = () => (runner ??= SandboxRunner.create(options.sandbox));

  async function runCode(req: CodeRunRequest): Promise<CodeRunResult> {
    const ctx = Context.current();
    const started = Date.now();
    let phase = 'waiting';
    try {
      return await withHeartbeat(
        () => ({ phase, elapsedMs: Date.now() - started }),
        async () => {
          const sandbox = await getRunner();
          phase = 'running';
          const result = await sandbox.run(req, { signal: ctx.cancellationSignal });
          if (ctx.cancellationSignal.aborted) throw cancellation(ctx);
          phase = 'done';
          return result;
        },
        { everyMs: options.heartbeatIntervalMs },
      );
    } catch (e) {
      if (ctx.cancellationSignal.aborted) throw cancellation(ctx);
      if (e instanceof SandboxUnavailableError) {
        throw ApplicationFailure.create({ type: SANDBOX_FAILURE.unavailable, message: e.message, nonRetryable: true });
      }
      if (e instanceof SandboxRequestError) {
        throw ApplicationFailure.create({ type: SANDBOX_FAILURE.badRequest, message: e.message, nonRetryable: true });
      }
      throw e;
    }
  }

  return { runCode };
}

function cancellation(ctx: Context): Error {
  const reason: unknown = ctx.cancellationSignal.reason;
  return reason instanceof Error ? reason : new CancelledFailure(typeof reason === 'string' ? reason : 'activity cancelled');
}
