import type { Trajectory, TrainingSample, TrajectoryTurn } from '@flowsteer/contracts';
import { CwrpoError, requireFinite } from './errors';

/** Turns text into token ids without special tokens; injected because this library does no I/O. */
export type Tokenise = (text: string) => readonly number[];

export interface SampleOptions {
  /**
   * Which turn prompts enter the sequence (always with mask 0):
   * `all` (default) every turn's prompt, `first` only the first turn's, `none` no prompt at all
   * (the reference code trains on `[completion, feedback]*` only).
   */
  prompts?: 'all' | 'first' | 'none';
  /** Keep the last turn's feedback (mask 0) at the end of the sequence. Default true. */
  includeFinalFeedback?: boolean;
  /**
   * Longest sequence kept. A longer one keeps its first `floor(max/2)` and last `ceil(max/2)` tokens
   * (the reference keeps 512 + 512 of 1024). Default: no limit.
   */
  maxTokens?: number;
}

/** The reference code's sequence layout: no prompts, head+tail truncation at 1024 tokens. */
export const REFERENCE_SAMPLE_OPTIONS: Readonly<SampleOptions> = { prompts: 'none', includeFinalFeedback: true, maxTokens: 1024 };

export interface SampleTarget {
  advantage: number;
  groupKey: string;
  /** Defaults to `trajectory.reward.total`. */
  reward?: number;
}

function tokeniseChecked(tokenise: Tokenise, text: string, what: string): number[] {
  if (text === '') return [];
  const ids = tokenise(text);
  if (!Array.isArray(ids)) throw new CwrpoError(`the tokeniser returned no array for ${what}`);
  ids.forEach((id) => {
    if (!Number.isInteger(id) || id < 0)
      throw new CwrpoError(`the tokeniser returned ${String(id)} for ${what}: token ids are integers ≥ 0`);
  });
  return [...ids];
}

/** The director's tokens of one turn and their old log-probabilities (null where unknown). */
function completionTokens(turn: TrajectoryTurn, index: number, tokenise: Tokenise): { ids: number[]; logprobs: (number | null)[] } {
  const what = `turn ${index + 1}`;
  if (turn.completionTokenIds !== undefined) {
    const ids = turn.completionTokenIds;
    ids.forEach((id) => {
      if (!Number.isInteger(id) || id < 0) throw new CwrpoError(`${what}: completion token id ${String(id)} is not an integer ≥ 0`);
    });
    const lps = turn.completionLogprobs;
    if (lps !== undefined && lps.length !== ids.length) {
      throw new CwrpoError(
        `${what}: ${lps.length} completion logprobs for ${ids.length} completion token ids; they must pair one to one (or leave the logprobs out)`,
      );
    }
    const logprobs = lps ? lps.map((lp, k) => requireFinite(lp, `${what}: completion logprob ${k}`)) : ids.map(() => null);
    return { ids: [...ids], logprobs };
  }
  // Without the engine's ids the text is tokenised again; logprobs cannot be paired with those tokens.
  const ids = tokeniseChecked(tokenise, turn.completion, `${what} completion`);
  return { ids, logprobs: ids.map(() => null) };
}

/**
 * Concatenates a trajectory into one token sequence for the learner:
 * `[prompt_1] completion_1 feedback_1 [prompt_2] completion_2 feedback_2 …` with mask 1 exactly on
 * completion tokens and the trajectory's advantage on the sample.
 */
export function trajectoryToSample(
  trajectory: Trajectory,
  target: SampleTarget,
  tokenise: Tokenise,
  options: SampleOptions = {},
): TrainingSample {
  requireFinite(target.advantage, 'advantage');
  const reward = target.reward ?? trajectory.reward?.total;
  if (reward === undefined) {
    throw new CwrpoError(`trajectory "${trajectory.id}" has no reward: score it (computeReward) or pass target.reward`);
  }
  const prompts = options.prompts ?? 'all';
  const includeFinalFeedback = options.includeFinalFeedback ?? true;
  const tokenIds: number[] = [];
  const mask: (0 | 1)[] = [];
  const oldLogprobs: (number | null)[] = [];
  const pushContext = (ids: number[]) => {
    for (const id of ids) {
      tokenIds.push(id);
      mask.push(0);
      oldLogprobs.push(null);
    }
  };
  trajectory.turns.forEach((turn, index) => {
    const withPrompt = prompts === 'all' || (prompts === 'first' && index === 0);
    if (withPrompt) pushContext(tokeniseChecked(tokenise, turn.prompt, `turn ${index + 1} prompt`));
    const completion = completionTokens(turn, index, tokenise);
    completion.ids.forEach((id, k) => {
      tokenIds.push(id);
      mask.push(1);
      oldLogprobs.push(completion.logprobs[k] ?? null);
    });
    const last = index === trajectory.turns.length - 1;
    if (!last || includeFinalFeedback) pushContext(tokeniseChecked(tokenise, turn.feedback, `turn ${index + 1} feedback`));
  });
  const kept = truncateHeadTail({ tokenIds, mask, oldLogprobs }, options.maxTokens);
  return {
    trajectoryId: trajectory.id,
    groupKey: target.groupKey,
    policyVersion: trajectory.policyVersion,
    tokenIds: kept.tokenIds,
    mask: kept.mask,
    oldLogprobs: kept.oldLogprobs,
    hasOldLogprobs: kept.mask.every((m, i) => m === 0 || kept.oldLogprobs[i] !== null),
    advantage: target.advantage,
    reward,
    truncatedTokens: tokenIds.length - kept.tokenIds.length,
  };
}

interface Aligned {
  tokenIds: number[];
  mask: (0 | 1)[];
  oldLogprobs: (number | null)[];
  support?: (number[] | null)[];
}

/** Keeps the head and tail of over-long sequences, all the arrays alike. */
export function truncateHeadTail(seq: Aligned, maxTokens: number | undefined): Aligned {
  if (maxTokens === undefined || seq.tokenIds.length <= maxTokens) return seq;
  if (!Number.isInteger(maxTokens) || maxTokens < 2) throw new CwrpoError(`maxTokens must be an integer ≥ 2, got ${maxTokens}`);
  const head = Math.floor(maxTokens / 2);
  const tail = maxTokens - head;
  const pick = <T>(xs: T[]): T[] => [...xs.slice(0, head), ...xs.slice(xs.length - tail)];
  return {
    tokenIds: pick(seq.tokenIds),
    mask: pick(seq.mask),
    oldLogprobs: pick(seq.oldLogprobs),
    ...(seq.support ? { support: pick(seq.support) } : {}),
  };
}

/**
 * The exact samples of a trajectory: one per director turn, `promptTokenIds ++ completionTokenIds`
 * exactly as the backend fed and sampled them (chat template included, nothing re-tokenised), mask 0
 * on the prompt and 1 on the completion, the sampler's log-probs on the completion. All turns share
 * the trajectory's id: the learner averages a trajectory's tokens over all its samples, so the loss is
 * the paper's per-trajectory mean. A turn without ids throws (the backend did not report them).
 * `maxTokens` keeps a turn's head and tail like `trajectoryToSample` (an approximation: a cut prompt
 * is no longer the context the sampler saw).
 */
export function sampledTurnSamples(
  trajectory: Trajectory,
  target: SampleTarget,
  options: Pick<SampleOptions, 'maxTokens'> = {},
): TrainingSample[] {
  requireFinite(target.advantage, 'advantage');
  const reward = target.reward ?? trajectory.reward?.total;
  if (reward === undefined)
    throw new CwrpoError(`trajectory "${trajectory.id}" has no reward: score it (computeReward) or pass target.reward`);
  return trajectory.turns.map((turn, index) => {
    const what = `trajectory "${trajectory.id}" turn ${index + 1}`;
    if (!turn.promptTokenIds || !turn.completionTokenIds) {
      throw new CwrpoError(
        `${what} has no sampled token ids: its director backend did not report the prompt and completion ids (the embedded model and vLLM with capabilities.tokenIds do)`,
      );
    }
    const lps = turn.completionLogprobs;
    if (lps !== undefined && lps.length !== turn.completionTokenIds.length) {
      throw new CwrpoError(`${what}: ${lps.length} completion logprobs for ${turn.completionTokenIds.length} completion token ids`);
    }
    for (const id of [...turn.promptTokenIds, ...turn.completionTokenIds]) {
      if (!Number.isInteger(id) || id < 0) throw new CwrpoError(`${what}: token id ${String(id)} is not an integer ≥ 0`);
    }
    const sup = turn.completionSupport;
    if (sup !== undefined && sup.length !== turn.completionTokenIds.length) {
      throw new CwrpoError(`${what}: ${sup.length} completion support entries for ${turn.completionTokenIds.length} completion token ids`);
    }
    sup?.forEach((ids, k) => {
      if (ids !== null && !ids.includes(turn.completionTokenIds?.[k] as number)) {
        throw new CwrpoError(`${what}: completion token ${k} is not in the set the sampler reported choosing from`);
      }
    });
    const seq = {
      tokenIds: [...turn.promptTokenIds, ...turn.completionTokenIds],
      mask: [...turn.promptTokenIds.map((): 0 => 0), ...turn.completionTokenIds.map((): 1 => 1)],
      oldLogprobs: [
        ...turn.promptTokenIds.map(() => null),
        ...turn.completionTokenIds.map((_, k) => (lps ? requireFinite(lps[k] as number, `${what} logprob ${k}`) : null)),
      ],
    };
    const kept = truncateHeadTail(sup ? { ...seq, support: [...turn.promptTokenIds.map(() => null), ...sup] } : seq, options.maxTokens);
    return {
      trajectoryId: trajectory.id,
      groupKey: target.groupKey,
      policyVersion: trajectory.policyVersion,
      tokenIds: kept.tokenIds,
      mask: kept.mask,
      oldLogprobs: kept.oldLogprobs,
      ...(kept.support ? { support: kept.support } : {}),
      hasOldLogprobs: kept.mask.every((m, i) => m === 0 || kept.oldLogprobs[i] !== null),
      advantage: target.advantage,
      reward,
      truncatedTokens: seq.tokenIds.length - kept.tokenIds.length,
    };
  });
}
