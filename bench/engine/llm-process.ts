/**
 * The engine benchmark's fake director and executor, in a process of their own (overhead.ts
 * --llm-process): a real deployment's LLM servers do not share the worker's main thread, and on
 * that thread the worker also moves every activation and activity between the SDK core, the
 * workflow thread and the activities.
 *
 * Started with fork(); argv: director latency ms, executor latency ms. Sends `{ ready, director,
 * executor }` (base URLs and model) once listening; answers `{ drain: true }` with the calls
 * recorded since the last drain, their times on the wall clock in ms (performance.timeOrigin-based,
 * so the parent can put them on its own clock).
 */
import { startFakeOpenAIServer } from '@flowsteer/llm/test-support';
import { scriptedDirectorReply, scriptedExecutorReply } from '../../apps/worker-e2e/src/support/scripted-session';
import { recording, type Call } from './llm-calls';

const [directorMs, executorMs] = process.argv.slice(2).map(Number) as [number, number];
const calls: Call[] = [];

async function main(): Promise<void> {
  const wallClock = () => performance.timeOrigin + performance.now();
  const director = await startFakeOpenAIServer({ fallback: recording(calls, 'director', directorMs, scriptedDirectorReply, wallClock) });
  const executor = await startFakeOpenAIServer({ fallback: recording(calls, 'executor', executorMs, scriptedExecutorReply, wallClock) });
  process.on('message', (message: { drain?: boolean }) => {
    if (!message.drain) return;
    process.send?.({ calls: calls.splice(0) });
  });
  process.on('disconnect', () => {
    void Promise.all([director.close(), executor.close()]).then(() => process.exit(0));
  });
  process.send?.({
    ready: true,
    director: { baseURL: director.baseURL, model: director.model },
    executor: { baseURL: executor.baseURL, model: executor.model },
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
