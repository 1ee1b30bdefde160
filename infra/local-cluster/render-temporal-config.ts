/**
 * Renders the Temporal server's config (and its dynamic-config file) for the local cluster FROM the
 * values the production chart installs, infra/temporal/values.postgresql.yaml (temporal-config.ts:
 * history shards, both stores, pool sizes, dynamic config, metrics timer type). Only what a loopback
 * machine must change is overridden, and each override is printed and written into the file.
 *
 *   npx tsx infra/local-cluster/render-temporal-config.ts --out <dir> --pg-port N --password-file F \
 *       --frontend-port N --http-port N --history-port N --matching-port N --worker-port N \
 *       --membership-base N --metrics-port N [--values infra/temporal/values.postgresql.yaml] [--tls-dir DIR]
 *
 * Writes <dir>/local.yaml (the server reads it with --root <dir>/.. --config <basename> --env local)
 * and <dir>/dynamicconfig.yaml.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';
import { renderTemporalConfig, type ChartValues } from './temporal-config';

const { values: args } = parseArgs({
  options: {
    values: { type: 'string', default: join(__dirname, '..', 'temporal', 'values.postgresql.yaml') },
    out: { type: 'string' },
    'pg-port': { type: 'string' },
    'password-file': { type: 'string' },
    'frontend-port': { type: 'string' },
    'http-port': { type: 'string' },
    'history-port': { type: 'string' },
    'matching-port': { type: 'string' },
    'worker-port': { type: 'string' },
    'membership-base': { type: 'string' },
    'metrics-port': { type: 'string' },
    'tls-dir': { type: 'string' },
  },
});

function need(name: keyof typeof args): string {
  const v = args[name];
  if (typeof v !== 'string' || !v) throw new Error(`--${name} is required`);
  return v;
}
function port(name: keyof typeof args): number {
  const n = Number(need(name));
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`--${name}=${args[name]} is not a port`);
  return n;
}

function main(): void {
  const valuesFile = resolve(need('values'));
  const out = resolve(need('out'));
  const dynamicConfigFile = join(out, 'dynamicconfig.yaml');
  const r = renderTemporalConfig(
    parse(readFileSync(valuesFile, 'utf8')) as ChartValues,
    {
      pgPort: port('pg-port'),
      password: readFileSync(need('password-file'), 'utf8').trim(),
      passwordSource: need('password-file'),
      frontendPort: port('frontend-port'),
      httpPort: port('http-port'),
      historyPort: port('history-port'),
      matchingPort: port('matching-port'),
      workerPort: port('worker-port'),
      membershipBase: port('membership-base'),
      metricsPort: port('metrics-port'),
      dynamicConfigFile,
      ...(args['tls-dir'] ? { tls: tlsFiles(resolve(args['tls-dir'])) } : {}),
    },
    valuesFile,
  );
  mkdirSync(out, { recursive: true });
  writeFileSync(dynamicConfigFile, `# Rendered from ${valuesFile} (server.dynamicConfig), verbatim.\n${stringify(r.dynamicConfig)}`);
  writeFileSync(
    join(out, 'local.yaml'),
    `# Rendered from ${valuesFile} by infra/local-cluster/render-temporal-config.ts; do not edit.\n# Loopback overrides:\n${r.overrides.map((o) => `#  - ${o}`).join('\n')}\n${stringify(r.config)}`,
    { mode: 0o600 },
  );
  console.log(`temporal config: ${join(out, 'local.yaml')} (${r.summary})`);
  for (const o of r.overrides) console.log(`  override: ${o}`);
}

/** The files cluster.sh writes into its tls folder (see tls_material there). */
function tlsFiles(dir: string) {
  const files = {
    caFile: join(dir, 'ca.crt'),
    serverCertFile: join(dir, 'server.crt'),
    serverKeyFile: join(dir, 'server.key'),
    clientCertFile: join(dir, 'client.crt'),
    clientKeyFile: join(dir, 'client.key'),
  };
  for (const f of Object.values(files)) readFileSync(f); // a missing file fails here, with its name
  return files;
}

main();
