/**
 * The training plot as a standalone SVG (no dependency): reward (mean with a ±std band), its parts
 * (diversity, released answer, correctness), turns and director tokens per step.
 */
export interface StepPoint {
  step: number;
  metrics: Record<string, number>;
}

interface Series {
  key: string;
  label: string;
  color: string;
}

const PANELS: { title: string; series: Series[]; band?: { mean: string; std: string } }[] = [
  { title: 'reward (mean ± std)', series: [{ key: 'rewardMean', label: 'reward', color: '#1f77b4' }], band: { mean: 'rewardMean', std: 'rewardStd' } },
  {
    title: 'reward parts',
    series: [
      { key: 'diversityMean', label: 'diversity R_div', color: '#2ca02c' },
      { key: 'answerMean', label: 'released answer', color: '#d62728' },
      { key: 'correctnessMean', label: 'correctness', color: '#9467bd' },
    ],
  },
  { title: 'turns per session', series: [{ key: 'turnsMean', label: 'turns', color: '#ff7f0e' }] },
  {
    title: 'tokens per session',
    series: [
      { key: 'directorTokensMean', label: 'director', color: '#8c564b' },
      { key: 'executorTokensMean', label: 'executor', color: '#7f7f7f' },
    ],
  },
];

const W = 420;
const H = 240;
const M = { left: 56, right: 16, top: 30, bottom: 46 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));

function panel(points: readonly StepPoint[], spec: (typeof PANELS)[number], ox: number, oy: number): string {
  const values: number[] = [];
  for (const p of points) {
    for (const s of spec.series) if (Number.isFinite(p.metrics[s.key])) values.push(p.metrics[s.key] as number);
    if (spec.band) {
      const m = p.metrics[spec.band.mean];
      const sd = p.metrics[spec.band.std];
      if (Number.isFinite(m) && Number.isFinite(sd)) values.push((m as number) - (sd as number), (m as number) + (sd as number));
    }
  }
  const steps = points.map((p) => p.step);
  const [x0, x1] = [Math.min(...steps), Math.max(...steps)];
  let [y0, y1] = values.length ? [Math.min(...values), Math.max(...values)] : [0, 1];
  if (y0 === y1) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (x: number) => ox + M.left + (x1 === x0 ? pw / 2 : ((x - x0) / (x1 - x0)) * pw);
  const sy = (y: number) => oy + M.top + ph - ((y - y0) / (y1 - y0)) * ph;
  const parts: string[] = [];
  parts.push(`<rect x="${ox + M.left}" y="${oy + M.top}" width="${pw}" height="${ph}" fill="#fafafa" stroke="#ccc"/>`);
  parts.push(`<text x="${ox + W / 2}" y="${oy + 18}" text-anchor="middle" font-size="13" font-weight="bold">${esc(spec.title)}</text>`);
  for (const t of [0, 0.5, 1]) {
    const y = y0 + t * (y1 - y0);
    parts.push(`<line x1="${ox + M.left}" x2="${ox + M.left + pw}" y1="${sy(y)}" y2="${sy(y)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${ox + M.left - 4}" y="${sy(y) + 4}" text-anchor="end" font-size="10">${fmt(y)}</text>`);
  }
  parts.push(`<text x="${ox + M.left}" y="${oy + H - M.bottom + 14}" font-size="10">step ${x0}</text>`);
  parts.push(`<text x="${ox + M.left + pw}" y="${oy + H - M.bottom + 14}" text-anchor="end" font-size="10">step ${x1}</text>`);
  if (spec.band) {
    const { mean, std } = spec.band;
    const pts = points.filter((p) => Number.isFinite(p.metrics[mean]) && Number.isFinite(p.metrics[std]));
    if (pts.length) {
      const upper = pts.map((p) => `${sx(p.step)},${sy((p.metrics[mean] as number) + (p.metrics[std] as number))}`);
      const lower = pts.map((p) => `${sx(p.step)},${sy((p.metrics[mean] as number) - (p.metrics[std] as number))}`).reverse();
      parts.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="#1f77b4" fill-opacity="0.15" stroke="none"/>`);
    }
  }
  spec.series.forEach((s, i) => {
    const pts = points.filter((p) => Number.isFinite(p.metrics[s.key])).map((p) => `${sx(p.step)},${sy(p.metrics[s.key] as number)}`);
    if (pts.length > 1) parts.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    for (const xy of pts) {
      const [cx, cy] = xy.split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="2.5" fill="${s.color}"/>`);
    }
    const lx = ox + M.left + i * 120;
    parts.push(`<rect x="${lx}" y="${oy + H - 20}" width="10" height="10" fill="${s.color}"/>`);
    parts.push(`<text x="${lx + 14}" y="${oy + H - 11}" font-size="10">${esc(s.label)}</text>`);
  });
  return parts.join('\n');
}

export function renderTrainingPlot(title: string, points: readonly StepPoint[]): string {
  const sorted = [...points].sort((a, b) => a.step - b.step);
  const width = W * 2;
  const height = H * 2 + 36;
  const body = sorted.length
    ? PANELS.map((spec, i) => panel(sorted, spec, (i % 2) * W, 36 + Math.floor(i / 2) * H)).join('\n')
    : `<text x="${width / 2}" y="${height / 2}" text-anchor="middle" font-size="14">no finished step yet</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${esc(title)} · ${sorted.length} step(s)</text>`,
    body,
    '</svg>',
    '',
  ].join('\n');
}
