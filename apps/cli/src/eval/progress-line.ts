import type { EvalRunProgress } from '@flowsteer/contracts';

/** One progress line: phase, units done, failures, and per dataset done/total with FlowSteer's mean score. */
export function progressLine(p: EvalRunProgress): string {
  const datasets = Object.entries(p.perDataset)
    .map(([d, s]) => `${d} ${s.done}/${s.total}${s.meanScore === null ? '' : ` (score ${(100 * s.meanScore).toFixed(1)})`}`)
    .join(' · ');
  const turns = p.metrics.meanTurns !== undefined ? ` · mean turns ${p.metrics.meanTurns}` : '';
  return `[${p.phase}] ${p.step}/${p.total} done, ${p.failed} failed${turns}${datasets ? ` · ${datasets}` : ''}`;
}
