import type { ChartSpec } from './render';

export interface TrainingPoint {
  step: number;
  metrics: Record<string, number>;
}

/** The training curves and where each reads its values (`se`, or `std` and `n`: a ± standard-error band). */
const PANELS: { title: string; key: string; se?: string; std?: string; n?: string }[] = [
  { title: 'reward (mean ± s.e.)', key: 'rewardMean', se: 'rewardSe', std: 'rewardStd', n: 'usableRollouts' },
  { title: 'structure reward R_div', key: 'diversityMean', se: 'diversitySe' },
  { title: 'released answer R_ans', key: 'answerMean' },
  { title: 'correctness', key: 'correctnessMean' },
  { title: 'KL to the reference', key: 'kl' },
  { title: 'clipped fraction', key: 'clippedFraction' },
  { title: 'importance ratio (mean)', key: 'ratioMean' },
  { title: 'learner tokens/s', key: 'tokensPerSecond' },
  { title: 'turns per session', key: 'turnsMean' },
];

/** One row per (panel, step) with a finite value; the band where its spread is known. */
export function trainingRows(points: readonly TrainingPoint[]): { panel: string; step: number; value: number; lo?: number; hi?: number }[] {
  const rows: { panel: string; step: number; value: number; lo?: number; hi?: number }[] = [];
  for (const p of PANELS) {
    for (const { step, metrics } of points) {
      const value = metrics[p.key];
      if (value === undefined || !Number.isFinite(value)) continue;
      const std = p.std ? metrics[p.std] : undefined;
      const n = p.n ? metrics[p.n] : undefined;
      const given = p.se ? metrics[p.se] : undefined;
      const se =
        given !== undefined && Number.isFinite(given)
          ? given
          : std !== undefined && n !== undefined && n > 0 && Number.isFinite(std)
            ? std / Math.sqrt(n)
            : undefined;
      rows.push({ panel: p.title, step, value, ...(se !== undefined ? { lo: value - se, hi: value + se } : {}) });
    }
  }
  return rows;
}

/** Training curves per step, one small panel per metric present in the data. */
export function trainingCurvesSpec(title: string, points: readonly TrainingPoint[]): ChartSpec {
  const rows = trainingRows(points);
  if (rows.length === 0) {
    return {
      title,
      data: { values: [{ text: 'no finished step yet' }] },
      mark: { type: 'text', fontSize: 14 },
      encoding: { text: { field: 'text' } },
    } as ChartSpec;
  }
  const x = { field: 'step', type: 'quantitative', axis: { tickMinStep: 1, format: 'd', title: 'step' } } as const;
  return {
    title,
    data: { values: rows },
    facet: {
      field: 'panel',
      type: 'nominal',
      title: null,
      sort: PANELS.map((p) => p.title),
      header: { labelFontSize: 12, labelFontWeight: 'bold' },
    },
    columns: 3,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 260,
      height: 150,
      layer: [
        {
          mark: { type: 'area', opacity: 0.2 },
          encoding: { x, y: { field: 'lo', type: 'quantitative', title: null }, y2: { field: 'hi' } },
        },
        {
          mark: { type: 'line', point: true },
          encoding: { x, y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } } },
        },
      ],
    },
  } as ChartSpec;
}
