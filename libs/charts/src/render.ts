import { compile, type TopLevelSpec } from 'vega-lite';
import { View, parse } from 'vega';

export type ChartSpec = TopLevelSpec;

/**
 * Renders a Vega-Lite spec to a standalone SVG string, headless (no browser, no canvas, no
 * network: specs carry their data inline). The same spec can be opened in any Vega editor.
 */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
