import { parseDsl } from '../graph/dsl-parse';
import type { Rejection } from '../rejection';
import type { CanvasEvent } from './events';
import { replay } from './evolve';
import { checkOptions, disabledOperators, resolveOptions, catalogueOf, type CanvasOptions } from './options';
import type { CanvasState } from './state';

export type OpenResult =
  | { events: CanvasEvent[]; state: CanvasState; rejection?: undefined }
  | { rejection: Rejection; events?: undefined; state?: undefined };

/**
 * The first events of a session: `CanvasOpened` (and `WorkflowLoaded` when `options.workflow` is
 * given). Invalid options are a rejection, not an exception.
 */
export function openCanvas(options: CanvasOptions): OpenResult {
  const bad = checkOptions(options);
  if (bad) return { rejection: bad };
  const events: CanvasEvent[] = [{ type: 'CanvasOpened', options: stripUndefined(options) }];
  if (options.workflow !== undefined && options.workflow.trim() !== '') {
    const resolved = resolveOptions(options);
    const parsed = parseDsl(options.workflow, { catalogue: catalogueOf(resolved), disabled: disabledOperators(resolved) });
    if (!parsed.ok)
      return { rejection: { ...parsed.error, reason: `options.workflow: ${parsed.error.reason} (at character ${parsed.error.offset})` } };
    events.push({ type: 'WorkflowLoaded', nodes: parsed.graph.nodes, nextId: parsed.graph.nextId });
  }
  return { events, state: replay(events) };
}

export class CanvasOptionsError extends Error {
  constructor(readonly rejection: Rejection) {
    super(`${rejection.reason} ${rejection.hint}`.trim());
    this.name = 'CanvasOptionsError';
  }
}

/**
 * The opened canvas for these options (`replay(openCanvas(options).events)`). Throws
 * `CanvasOptionsError` for invalid options — configuration time, before any turn.
 */
export function initialState(options: CanvasOptions): CanvasState {
  const opened = openCanvas(options);
  if (opened.rejection) throw new CanvasOptionsError(opened.rejection);
  return opened.state;
}

function stripUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
