import type { CwrpoTrainingOptions, LearnerHyperparameters, TrainingConfig } from '@flowsteer/contracts';

const TOKENIZERS = ['auto', 'llama-cpp', 'vllm', 'utf8-bytes'];

/** Checks the run's config and reads the training options from `config.extra`; every problem at once. */
export function readTrainingConfig(config: TrainingConfig): { options: CwrpoTrainingOptions; problems: string[] } {
  const problems: string[] = [];
  if (!Array.isArray(config.datasets) || config.datasets.length === 0) problems.push('datasets must name at least one benchmark');
  for (const key of ['groupSize', 'problemsPerStep', 'steps', 'maxTurns'] as const) {
    const v = config[key];
    if (!Number.isInteger(v) || v < 1) problems.push(`${key} must be a positive integer (got ${String(v)})`);
  }
  if (!Number.isInteger(config.seed)) problems.push(`seed must be an integer (got ${String(config.seed)})`);
  if (!config.director || !config.executor) problems.push('director and executor backends must be named');
  if (!config.baseModel) problems.push('baseModel must name the learner\'s base model (HF folder, .gguf file or "<folder>::<file.gguf>")');
  const options = (config.extra ?? {}) as CwrpoTrainingOptions;
  if (options.tokenizer !== undefined && !TOKENIZERS.includes(options.tokenizer)) problems.push(`extra.tokenizer must be one of ${TOKENIZERS.join(', ')} (got ${String(options.tokenizer)})`);
  for (const key of ['continueAsNewEvery', 'concurrency', 'maxSampleTokens', 'learnerTimeoutMinutes', 'learnerHeartbeatSeconds', 'learnerMaxAttempts'] as const) {
    const v = options[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) problems.push(`extra.${key} must be a positive integer (got ${String(v)})`);
  }
  if (options.grouping !== undefined && options.grouping !== 'problem' && options.grouping !== 'dataset') problems.push(`extra.grouping must be problem or dataset (got ${String(options.grouping)})`);
  return { options, problems };
}

/** The learner's hyperparameters: the config's named ones, then `extra.learner` over them. */
export function learnerHyperparameters(config: TrainingConfig, options: CwrpoTrainingOptions): LearnerHyperparameters {
  return {
    ...(config.learningRate !== undefined ? { learningRate: config.learningRate } : {}),
    ...(config.klCoef !== undefined ? { klBeta: config.klCoef } : {}),
    ...(config.clipEps !== undefined ? { clipEpsilon: config.clipEps } : {}),
    maxSteps: config.steps,
    ...(options.learner ?? {}),
  };
}
