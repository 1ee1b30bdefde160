/**
 * The `symbolic` metric: answer equivalence decided by a computer algebra system (sympy) in Python.
 * It runs wherever `runCode` runs it - the sandbox's `runCode` in the worker and the CLI - so the
 * scorer itself stays pure and the code path is the code scorers' one.
 */
import { randomBytes } from 'node:crypto';
import type { CodeRunRequest, CodeRunResult } from '@flowsteer/contracts';
import { MATH_SYMBOLIC_PROGRAM } from './math-symbolic-program';

export type RunCode = (req: CodeRunRequest) => Promise<CodeRunResult>;

/** One question for the CAS: is `prediction` equivalent to any of `golds`? (Both are extracted answers.) */
export interface SymbolicItem {
  prediction: string;
  golds: string[];
}

export interface SymbolicVerdict {
  equivalent: boolean;
  /** why it could not be shown equivalent (a parse failure, a timeout), when there is a reason. */
  why?: string;
}

/** The CAS run gave no verdict (Python or sympy missing, the sandbox refused, a crash). */
export class SymbolicUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SymbolicUnavailableError';
  }
}

export interface SymbolicOptions {
  /** seconds per (prediction, gold) pair inside Python (default 3). */
  timeoutSecPerPair?: number;
  /** items per Python run (default 100): one sympy start-up per batch. */
  batchSize?: number;
}

/** Decides every item; throws {@link SymbolicUnavailableError} when a batch comes back without a verdict. */
export async function decideSymbolic(
  runCode: RunCode,
  items: readonly SymbolicItem[],
  options: SymbolicOptions = {},
): Promise<SymbolicVerdict[]> {
  const perPair = options.timeoutSecPerPair ?? 3;
  const size = Math.max(1, options.batchSize ?? 100);
  const out: SymbolicVerdict[] = [];
  for (let start = 0; start < items.length; start += size) {
    const batch = items.slice(start, start + size);
    out.push(...(await runBatch(runCode, batch, perPair)));
  }
  return out;
}

/**
 * The sandbox request for one batch, and the nonce its verdict line starts with. Split from
 * {@link readSymbolicVerdicts} so a workflow can dispatch the request itself (a `runCode` activity)
 * and read the result with the same code.
 */
export function symbolicRunRequest(batch: readonly SymbolicItem[], timeoutSecPerPair = 3): { request: CodeRunRequest; nonce: string } {
  const nonce = randomBytes(16).toString('hex');
  const pairs = batch.reduce((n, item) => n + Math.max(1, item.golds.length), 0);
  const payload = { items: batch.map((i) => ({ pred: i.prediction, golds: i.golds })), timeoutSec: timeoutSecPerPair };
  return {
    nonce,
    request: {
      code: MATH_SYMBOLIC_PROGRAM,
      stdin: `${nonce}\n${JSON.stringify(payload)}`,
      limits: { wallTimeMs: 20_000 + Math.ceil(pairs * timeoutSecPerPair * 1000), memoryMb: 1024, maxOutputBytes: 1024 * 1024 },
    },
  };
}

/** The verdicts of a batch's run; throws {@link SymbolicUnavailableError} when the run gave none. */
export function readSymbolicVerdicts(result: CodeRunResult, nonce: string, count: number): SymbolicVerdict[] {
  const line = result.stdout.split('\n').find((l) => l.startsWith(`${nonce} `));
  if (line) {
    try {
      const parsed = JSON.parse(line.slice(nonce.length + 1)) as { results?: SymbolicVerdict[] };
      if (Array.isArray(parsed.results) && parsed.results.length === count) return parsed.results;
    } catch {
      // fall through to the error below
    }
  }
  const why = result.stopReason === 'ok' ? 'no verdict line' : `${result.stopReason}${result.detail ? ` (${result.detail})` : ''}`;
  throw new SymbolicUnavailableError(
    `the symbolic (sympy) check gave no verdict: ${why}${result.stderr ? `: ${result.stderr.trim().slice(-400)}` : ''}`,
  );
}

async function runBatch(runCode: RunCode, batch: readonly SymbolicItem[], perPair: number): Promise<SymbolicVerdict[]> {
  const { request, nonce } = symbolicRunRequest(batch, perPair);
  return readSymbolicVerdicts(await runCode(request), nonce, batch.length);
}
