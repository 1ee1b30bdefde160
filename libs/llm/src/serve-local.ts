/**
 * Serves the embedded model (or another configured backend) as an OpenAI-compatible endpoint on
 * 127.0.0.1 until interrupted:
 *
 *   npx tsx libs/llm/src/serve-local.ts [--port 8089] [--backend local] [--config flowsteer.backends.yaml]
 *
 * Environment: FLOWSTEER_LOCAL_PORT (default port), FLOWSTEER_BACKENDS, FLOWSTEER_LOCAL_MODEL, FLOWSTEER_HOME.
 */
import { loadBackendRegistry } from './config';
import { isLlmError } from './errors';
import { disposeLocalModels } from './local/local-model';
import { startLocalOpenAIServer } from './local/server';

function arg(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write('usage: npx tsx libs/llm/src/serve-local.ts [--port N] [--backend NAME] [--config FILE]\n');
    return;
  }
  const portText = arg('port') ?? process.env.FLOWSTEER_LOCAL_PORT ?? '8089';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a TCP port number, got ${JSON.stringify(portText)}`);
  const registry = loadBackendRegistry({ path: arg('config') });
  const backend = arg('backend') ?? 'local';
  process.stdout.write(`loading backend "${backend}" ...\n`);
  const server = await startLocalOpenAIServer({ port, backend, registry });
  process.stdout.write(`serving "${backend}" (model ${server.model}) at ${server.baseURL}  (POST /chat/completions, GET /models)\n`);
  const stop = async (sig: string) => {
    process.stdout.write(`${sig}: stopping\n`);
    await server.close();
    await disposeLocalModels();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`serve-local: ${isLlmError(err) ? `${err.message} [${err.kind}]` : String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
