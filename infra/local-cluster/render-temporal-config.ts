/**
 * Renders the Temporal server's config (and its dynamic-config file) for the local cluster FROM the
 * values the production chart installs, infra/temporal/values.postgresql.yaml: history shards, both
 * stores (driver, database, user, pool sizes), the dynamic config and the metrics timer type are read
 * from that file. Only what a loopback machine must change is overridden, and said so in the output:
 * host/port (127.0.0.1 and the local PostgreSQL port), the password (a generated one instead of the
 * Kubernetes Secret), TLS to PostgreSQL (off: the local server has no certificate), and the ports of
 * the four Temporal services (all in one process, bound to 127.0.0.1).
 *
 *   npx tsx infra/local-cluster/render-temporal-config.ts --out <dir> --pg-port N --password-file F \
 *       --frontend-port N --http-port N --history-port N --matching-port N --worker-port N \
 *       --membership-base N --metrics-port N [--values infra/temporal/values.postgresql.yaml]
 *
 * Writes <dir>/local.yaml (the server reads it with --root <dir>/.. --config <basename> --env local)
 * and <dir>/dynamicconfig.yaml; prints one line per override.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';

interface SqlValues {
  driver: string;
  host: string;
  port: number;
  database: string;
  user: string;
  maxConns?: number;
  maxIdleConns?: number;
  maxConnLifetime?: string;
  tls?: { enabled?: boolean };
}
interface StoreValues {
  driver: string;
  sql?: SqlValues;
}
interface ChartValues {
  server: {
    image?: { tag?: string };
    config: {
      numHistoryShards: number;
      persistence: Record<string, unknown> & { defaultStore: string; visibilityStore: string };
    };
    dynamicConfig?: Record<string, unknown>;
    metrics?: { prometheus?: { timerType?: string } };
  };
}

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
  const values = parse(readFileSync(valuesFile, 'utf8')) as ChartValues;
  const cfg = values.server?.config;
  if (!cfg?.persistence || !cfg.numHistoryShards) throw new Error(`${valuesFile}: server.config.persistence / numHistoryShards missing`);
  const password = readFileSync(need('password-file'), 'utf8').trim();
  const pgPort = port('pg-port');
  const overrides: string[] = [];

  const datastore = (name: string) => {
    const store = cfg.persistence[name] as StoreValues | undefined;
    if (!store?.sql || store.driver !== 'sql') throw new Error(`${valuesFile}: server.config.persistence.${name} is not a sql store`);
    const sql = store.sql;
    overrides.push(`${name}: ${sql.host}:${sql.port} -> 127.0.0.1:${pgPort}; password from the chart's Secret -> generated (${need('password-file')}); TLS ${sql.tls?.enabled ? 'on' : 'off'} -> off`);
    return {
      sql: {
        pluginName: sql.driver,
        databaseName: sql.database,
        connectAddr: `127.0.0.1:${pgPort}`,
        connectProtocol: 'tcp',
        user: sql.user,
        password,
        ...(sql.maxConns !== undefined ? { maxConns: sql.maxConns } : {}),
        ...(sql.maxIdleConns !== undefined ? { maxIdleConns: sql.maxIdleConns } : {}),
        ...(sql.maxConnLifetime !== undefined ? { maxConnLifetime: sql.maxConnLifetime } : {}),
      },
    };
  };

  const { defaultStore, visibilityStore } = cfg.persistence;
  const membershipBase = port('membership-base');
  const service = (grpcPort: number, offset: number, extra: Record<string, unknown> = {}) => ({
    rpc: { grpcPort, membershipPort: membershipBase + offset, bindOnIP: '127.0.0.1', ...extra },
  });
  const frontend = port('frontend-port');
  const config = {
    log: { stdout: true, level: 'info' },
    persistence: {
      defaultStore,
      visibilityStore,
      numHistoryShards: cfg.numHistoryShards,
      datastores: { [defaultStore]: datastore(defaultStore), [visibilityStore]: datastore(visibilityStore) },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      metrics: {
        prometheus: {
          framework: 'tally',
          timerType: values.server.metrics?.prometheus?.timerType ?? 'histogram',
          listenAddress: `127.0.0.1:${port('metrics-port')}`,
        },
      },
    },
    services: {
      frontend: service(frontend, 0, { httpPort: port('http-port') }),
      history: service(port('history-port'), 1),
      matching: service(port('matching-port'), 2),
      worker: service(port('worker-port'), 3),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${frontend}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    dynamicConfigClient: { filepath: '', pollInterval: '10s' },
  };
  overrides.push(`services: frontend/history/matching/worker in one process on 127.0.0.1 (the chart runs ${['frontend', 'history', 'matching', 'worker'].join('/')} as separate pods)`);

  const out = resolve(need('out'));
  mkdirSync(out, { recursive: true });
  const dynamicFile = join(out, 'dynamicconfig.yaml');
  config.dynamicConfigClient.filepath = dynamicFile;
  writeFileSync(dynamicFile, `# Rendered from ${valuesFile} (server.dynamicConfig), verbatim.\n${stringify(values.server.dynamicConfig ?? {})}`);
  writeFileSync(join(out, 'local.yaml'), `# Rendered from ${valuesFile} by infra/local-cluster/render-temporal-config.ts; do not edit.\n# Loopback overrides:\n${overrides.map((o) => `#  - ${o}`).join('\n')}\n${stringify(config)}`, { mode: 0o600 });
  console.log(`temporal config: ${join(out, 'local.yaml')} (numHistoryShards ${cfg.numHistoryShards}, stores ${defaultStore}/${visibilityStore} via ${(cfg.persistence[defaultStore] as StoreValues).sql?.driver}, dynamic config keys: ${Object.keys(values.server.dynamicConfig ?? {}).join(', ')})`);
  for (const o of overrides) console.log(`  override: ${o}`);
}

main();
