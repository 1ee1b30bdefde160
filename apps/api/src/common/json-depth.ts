import type { IncomingMessage, ServerResponse } from 'node:http';

/** Nesting depth of a parsed JSON value, counted without recursion (a hostile body cannot overflow the stack). */
export function jsonDepth(value: unknown, stopAbove = Infinity): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== 'object') continue;
    if (depth > deepest) deepest = depth;
    if (deepest > stopAbove) return deepest;
    for (const child of Array.isArray(node) ? node : Object.values(node))
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return deepest;
}

/** After the JSON parser: a body nested deeper than `maxDepth` is a 400 before any route sees it. */
export function rejectDeepJson(maxDepth: number) {
  return (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next: (err?: unknown) => void): void => {
    if (req.body === undefined || jsonDepth(req.body, maxDepth) <= maxDepth) return next();
    res.statusCode = 400;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ statusCode: 400, error: 'Bad Request', message: `request body nested deeper than ${maxDepth} levels` }));
  };
}
