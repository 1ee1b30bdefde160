/**
 * Plots engine-overhead runs (the `--json` files of bench/engine/overhead.ts) with Vega-Lite:
 * turns/s and per-turn overhead against N, one line per run and mode (temporal, loop, floor).
 *
 *   npx tsx bench/engine/plot.ts OUT.svg LABEL=run1.json [LABEL=run2.json ...]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderSvg, type ChartSpec } from '@flowsteer/charts';

interface Point {
  N: number;
  mode: string;
  turnsPerSecond: number;
  overheadP50Ms: number;
}

const [out, ...runs] = process.argv.slice(2);
if (!out || runs.length === 0) {
  console.error('usage: npx tsx bench/engine/plot.ts OUT.svg LABEL=run.json [LABEL=run.json ...]');
  process.exit(2);
}
const rows = runs.flatMap((arg) => {
  const at = arg.indexOf('=');
  const [label, file] = at > 0 ? [arg.slice(0, at), arg.slice(at + 1)] : [arg, arg];
  const data = JSON.parse(readFileSync(file, 'utf8')) as { points?: Point[] };
  if (!data.points) throw new Error(`${file} has no points: re-run bench/engine/overhead.ts with --json`);
  return data.points.flatMap((p) => [
    { series: `${label} · ${p.mode}`, N: p.N, panel: 'turns per second (all sessions)', value: p.turnsPerSecond },
    { series: `${label} · ${p.mode}`, N: p.N, panel: 'overhead per turn, ms (p50; floor: mean)', value: p.overheadP50Ms },
  ]);
});
const spec = {
  title: 'Engine overhead against concurrent sessions N',
  data: { values: rows },
  facet: { field: 'panel', type: 'nominal', title: null, header: { labelFontSize: 12, labelFontWeight: 'bold' } },
  columns: 2,
  resolve: { scale: { y: 'independent' } },
  spec: {
    width: 320,
    height: 220,
    mark: { type: 'line', point: true },
    encoding: {
      x: {
        field: 'N',
        type: 'quantitative',
        scale: { type: 'log', base: 2 },
        axis: { values: [...new Set(rows.map((r) => r.N))], title: 'N (concurrent sessions)' },
      },
      y: { field: 'value', type: 'quantitative', title: null, scale: { type: 'log' } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  },
} as ChartSpec;
void renderSvg(spec).then((svg) => {
  writeFileSync(out, svg.endsWith('\n') ? svg : `${svg}\n`);
  console.log(`wrote ${out} (${rows.length / 2} points)`);
});
