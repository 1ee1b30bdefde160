/**
 * The learning curve of a CWRPO run (issue 14 item 6): per step, mean reward and the structure
 * reward R_div with their standard errors, from the run folder `flowsteer train` writes
 * (`.flowsteer/runs/<name>/metrics.jsonl`), and whether the last steps beat the first ones by more
 * than two standard errors. Writes `curve.svg` (Vega-Lite) next to the metrics.
 *
 *   npx tsx bench/learner/learning-curve.ts .flowsteer/runs/<name> [--window 3]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderSvg, trainingCurvesSpec } from '@flowsteer/charts';

const { values, positionals } = parseArgs({ options: { window: { type: 'string', default: '3' } }, allowPositionals: true });
const dir = positionals[0];
if (!dir) throw new Error('usage: learning-curve.ts <run folder> [--window k]');
const k = Number(values.window);
const steps = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { step: number; metrics: Record<string, number> })
  .sort((a, b) => a.step - b.step);

const fmt = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(3));
console.log('| step | rollouts | reward mean ± s.e. | R_div mean ± s.e. | correctness | clipped fraction | ratio mean |');
console.log('|---|---|---|---|---|---|---|');
for (const { step, metrics: m } of steps) {
  console.log(
    `| ${step} | ${m.usableRollouts ?? m.rollouts ?? 'n/a'} | ${fmt(m.rewardMean)} ± ${fmt(m.rewardSe)} | ${fmt(m.diversityMean)} ± ${fmt(m.diversitySe)} | ${fmt(m.correctnessMean)} | ${fmt(m.clippedFraction)} | ${fmt(m.ratioMean)} |`,
  );
}

/** Mean and standard error of a window of steps, pooling their per-step standard errors. */
function pooled(window: typeof steps, key: 'reward' | 'diversity') {
  const means = window.map((s) => s.metrics[`${key}Mean`] as number);
  const ses = window.map((s) => s.metrics[`${key}Se`] ?? NaN);
  const mean = means.reduce((a, b) => a + b, 0) / means.length;
  const se = Math.sqrt(ses.reduce((a, b) => a + b * b, 0)) / ses.length;
  return { mean, se };
}
if (steps.length >= 2 * k) {
  for (const key of ['reward', 'diversity'] as const) {
    const first = pooled(steps.slice(0, k), key);
    const last = pooled(steps.slice(-k), key);
    const diff = last.mean - first.mean;
    const se = Math.sqrt(first.se ** 2 + last.se ** 2);
    console.log(
      `${key}: first ${k} steps ${fmt(first.mean)} ± ${fmt(first.se)}, last ${k} ${fmt(last.mean)} ± ${fmt(last.se)}; difference ${fmt(diff)} = ${fmt(diff / se)} s.e. → ${diff > 2 * se ? 'rises by more than two standard errors' : 'no rise beyond two standard errors'}`,
    );
  }
} else {
  console.log(`only ${steps.length} steps: need ${2 * k} to compare the first and the last ${k}`);
}
void renderSvg(trainingCurvesSpec(`CWRPO learning curve (${steps.length} steps)`, steps)).then((svg) =>
  writeFileSync(join(dir, 'curve.svg'), svg),
);
