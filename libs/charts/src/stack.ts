import { renderSvg, type ChartSpec } from './render';

/** Several specs as one SVG, one under the other (a vconcat of independent charts). */
export async function renderStack(specs: readonly ChartSpec[]): Promise<string> {
  const config = { view: { stroke: null }, font: 'sans-serif' };
  if (specs.length === 1) return renderSvg({ ...(specs[0] as object), config } as ChartSpec);
  return renderSvg({ vconcat: specs as never, spacing: 30, config } as ChartSpec);
}
