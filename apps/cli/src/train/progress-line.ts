import type { CwrpoTrainingProgress, PolicyPublication, TrainingStepMetrics } from '@flowsteer/contracts';

const n = (v: number | undefined, digits = 2) => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits));

/** One line per finished step: reward and its parts, correctness, turns, tokens, learner numbers. */
export function stepLine(s: TrainingStepMetrics, totalSteps: number): string {
  const m = s.metrics;
  const parts = [
    `step ${s.step}/${totalSteps}`,
    `reward ${n(m.rewardMean)}±${n(m.rewardStd)} (div ${n(m.diversityMean)}, ans ${n(m.answerMean)})`,
    `correct ${n(m.correctnessMean)}`,
    `turns ${n(m.turnsMean, 1)}`,
    `tokens ${n(m.directorTokensMean, 0)}`,
    `rollouts ${m.usableRollouts ?? '-'}/${m.rollouts ?? '-'}`,
  ];
  if (m.skipped) parts.push('no usable rollout: learner skipped');
  else parts.push(`loss ${n(m.loss, 4)} kl ${n(m.kl, 4)} clip ${n(m.clippedFraction)}${m.learnerReused ? ' (checkpoint reused)' : ''}`);
  if (s.policyVersion) parts.push(`→ ${s.policyVersion}${m.published === 1 ? ' published' : ''}`);
  return parts.join('  ');
}

export function stageLine(p: CwrpoTrainingProgress): string {
  if (p.phase === 'paused') return `paused before step ${p.step + 1} (resume: Temporal UI or POST /v1/training/<id>/resume)`;
  if (p.stage === 'rollouts' && p.rollouts.total === 0) return `step ${p.currentStep}: sampling problems`;
  if (p.stage === 'rollouts')
    return `step ${p.currentStep}: rollouts ${p.rollouts.done}/${p.rollouts.total}${p.rollouts.failed ? ` (${p.rollouts.failed} failed)` : ''}`;
  if (p.stage === 'idle') return `${p.phase}`;
  return `step ${p.currentStep}: ${p.stage}`;
}

export function publicationLine(p: PolicyPublication): string {
  return p.published
    ? `policy ${p.policyVersion} is served as "${p.adapterName}" (${p.url})`
    : `policy ${p.policyVersion} NOT published: ${p.reason}`;
}
