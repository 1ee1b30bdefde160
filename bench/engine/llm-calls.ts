import type { RecordedRequest } from '@flowsteer/llm/test-support';

/** One LLM call as the fake server saw it: [start, start + scripted latency], by session (problem). */
export interface Call {
  session: string;
  role: 'director' | 'executor';
  start: number;
  end: number;
}

/** The session a request belongs to: its problem text, which names the batch and the session. */
export function sessionKey(req: RecordedRequest): string {
  const body = req.body as { messages?: Array<{ content?: unknown }> } | undefined;
  const text = (body?.messages ?? []).map((m) => String(m.content)).join('\n');
  return /What is \d+ times \d+\? \[[^\]]*\] #[\w-]+/.exec(text)?.[0] ?? 'unknown';
}

type Script = (req: RecordedRequest, options: { delayMs: number }) => unknown;

/** A fake server's reply script that also records each call into `into`, timed by `now`. */
export function recording<S extends Script>(into: Call[], role: Call['role'], delayMs: number, script: S, now: () => number) {
  return (req: RecordedRequest): ReturnType<S> => {
    const start = now();
    into.push({ session: sessionKey(req), role, start, end: start + delayMs });
    return script(req, { delayMs }) as ReturnType<S>;
  };
}
