/**
 * Pure part of render-temporal-config.ts: the Temporal server config (and dynamic config) for the
 * local cluster, from the parsed values of infra/temporal/values.postgresql.yaml. Everything the
 * chart sets comes from `values`; only the loopback overrides (address, password, TLS off, ports)
 * come from `local`, and each is listed in `overrides`.
 */
interface SqlValues {
  driver: string;
  host: string;
  port: number;
  database: string;
  user: string;
  maxConns?: number;
  maxIdleConns?: number;
  maxConnLifetime?: string;
  tls?: { enabled?: boolean; enableHostVerification?: boolean; serverName?: string };
}
interface StoreValues {
  driver: string;
  sql?: SqlValues;
}
export interface ChartValues {
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

export interface LocalSettings {
  pgPort: number;
  password: string;
  passwordSource: string;
  frontendPort: number;
  httpPort: number;
  historyPort: number;
  matchingPort: number;
  workerPort: number;
  membershipBase: number;
  metricsPort: number;
  dynamicConfigFile: string;
  /**
   * With TLS (cluster.sh's FLOWSTEER_CLUSTER_TLS=1): the local CA and certificates. PostgreSQL
   * connections keep the chart's TLS (host verification included) against the local CA, and the
   * frontend requires client certificates (mTLS), as a production frontend would.
   */
  tls?: LocalTls;
}

export interface LocalTls {
  caFile: string;
  /** The server certificate of PostgreSQL and the frontend (SANs localhost and 127.0.0.1). */
  serverCertFile: string;
  serverKeyFile: string;
  /** The client certificate the server's own system worker presents to the frontend. */
  clientCertFile: string;
  clientKeyFile: string;
}

export interface RenderedTemporalConfig {
  config: Record<string, unknown>;
  dynamicConfig: Record<string, unknown>;
  overrides: string[];
  summary: string;
}

export function renderTemporalConfig(values: ChartValues, local: LocalSettings, source = 'values.postgresql.yaml'): RenderedTemporalConfig {
  const cfg = values.server?.config;
  if (!cfg?.persistence || !cfg.numHistoryShards) throw new Error(`${source}: server.config.persistence / numHistoryShards missing`);
  const overrides: string[] = [];
  const datastore = (name: string) => {
    const store = cfg.persistence[name] as StoreValues | undefined;
    if (!store?.sql || store.driver !== 'sql') throw new Error(`${source}: server.config.persistence.${name} is not a sql store`);
    const sql = store.sql;
    const chartTls = sql.tls?.enabled ? `on${sql.tls.enableHostVerification ? ' (host verified)' : ''}` : 'off';
    const tls =
      local.tls && sql.tls?.enabled
        ? {
            enabled: true,
            caFile: local.tls.caFile,
            enableHostVerification: sql.tls.enableHostVerification ?? false,
            serverName: 'localhost',
          }
        : undefined;
    overrides.push(
      `${name}: ${sql.host}:${sql.port} -> 127.0.0.1:${local.pgPort}; password from the chart's Secret -> generated (${local.passwordSource}); ` +
        (tls ? `TLS ${chartTls}, CA and server name -> the local CA, localhost` : `TLS ${chartTls} -> off`),
    );
    return {
      sql: {
        pluginName: sql.driver,
        databaseName: sql.database,
        connectAddr: `127.0.0.1:${local.pgPort}`,
        connectProtocol: 'tcp',
        user: sql.user,
        password: local.password,
        ...(sql.maxConns !== undefined ? { maxConns: sql.maxConns } : {}),
        ...(sql.maxIdleConns !== undefined ? { maxIdleConns: sql.maxIdleConns } : {}),
        ...(sql.maxConnLifetime !== undefined ? { maxConnLifetime: sql.maxConnLifetime } : {}),
        ...(tls ? { tls } : {}),
      },
    };
  };
  const { defaultStore, visibilityStore } = cfg.persistence;
  const service = (grpcPort: number, offset: number, extra: Record<string, unknown> = {}) => ({
    rpc: { grpcPort, membershipPort: local.membershipBase + offset, bindOnIP: '127.0.0.1', ...extra },
  });
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
      ...(local.tls ? { tls: frontendTls(local.tls) } : {}),
      metrics: {
        prometheus: {
          framework: 'tally',
          timerType: values.server.metrics?.prometheus?.timerType ?? 'histogram',
          listenAddress: `127.0.0.1:${local.metricsPort}`,
        },
      },
    },
    services: {
      frontend: service(local.frontendPort, 0, { httpPort: local.httpPort }),
      history: service(local.historyPort, 1),
      matching: service(local.matchingPort, 2),
      worker: service(local.workerPort, 3),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${local.frontendPort}` },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    dynamicConfigClient: { filepath: local.dynamicConfigFile, pollInterval: '10s' },
  };
  overrides.push('services: frontend/history/matching/worker in one process on 127.0.0.1 (the chart runs them as separate pods)');
  if (local.tls)
    overrides.push(
      'frontend: mTLS with the local CA (client certificates required); traffic between the services in the process stays plain',
    );
  const dynamicConfig = values.server.dynamicConfig ?? {};
  const summary = `numHistoryShards ${cfg.numHistoryShards}, stores ${defaultStore}/${visibilityStore} via ${(cfg.persistence[defaultStore] as StoreValues).sql?.driver}, dynamic config keys: ${Object.keys(dynamicConfig).join(', ')}`;
  return { config, dynamicConfig, overrides, summary };
}

/** The frontend serves TLS and requires a client certificate from the local CA; the server's system worker presents one. */
function frontendTls(tls: LocalTls): Record<string, unknown> {
  const client = { serverName: 'localhost', rootCaFiles: [tls.caFile] };
  return {
    frontend: {
      server: { certFile: tls.serverCertFile, keyFile: tls.serverKeyFile, requireClientAuth: true, clientCaFiles: [tls.caFile] },
      client,
    },
    systemWorker: { certFile: tls.clientCertFile, keyFile: tls.clientKeyFile, client },
  };
}
