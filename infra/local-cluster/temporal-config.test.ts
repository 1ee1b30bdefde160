import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderTemporalConfig, type ChartValues, type LocalSettings } from './temporal-config';

const VALUES = join(__dirname, '..', 'temporal', 'values.postgresql.yaml');
const local: LocalSettings = {
  pgPort: 27200,
  password: 'pw',
  passwordSource: 'secrets/pw',
  frontendPort: 27201,
  httpPort: 27202,
  historyPort: 27203,
  matchingPort: 27204,
  workerPort: 27205,
  membershipBase: 27206,
  metricsPort: 27210,
  dynamicConfigFile: '/x/dynamicconfig.yaml',
};
const chartValues = () => parse(readFileSync(VALUES, 'utf8')) as ChartValues;
type Sql = Record<string, unknown>;
const store = (config: Record<string, unknown>, name: string) =>
  ((config.persistence as { datastores: Record<string, { sql: Sql }> }).datastores[name] as { sql: Sql }).sql;

describe('the local cluster renders the Temporal config from the chart values', () => {
  it('takes shards, stores, pool sizes and the dynamic config from values.postgresql.yaml', () => {
    const values = chartValues();
    const r = renderTemporalConfig(values, local);
    const persistence = r.config.persistence as Record<string, unknown>;
    expect(persistence.numHistoryShards).toBe(values.server.config.numHistoryShards);
    expect(persistence.defaultStore).toBe(values.server.config.persistence.defaultStore);
    for (const name of ['default', 'visibility']) {
      const chart = (values.server.config.persistence[name] as { sql: Sql }).sql;
      expect(store(r.config, name)).toEqual({
        pluginName: chart.driver,
        databaseName: chart.database,
        user: chart.user,
        maxConns: chart.maxConns,
        maxIdleConns: chart.maxIdleConns,
        maxConnLifetime: chart.maxConnLifetime,
        connectAddr: '127.0.0.1:27200',
        connectProtocol: 'tcp',
        password: 'pw',
      });
    }
    expect(r.dynamicConfig).toEqual(values.server.dynamicConfig);
    expect((r.config.dynamicConfigClient as { filepath: string }).filepath).toBe('/x/dynamicconfig.yaml');
  });

  it('follows a change of the values file (not a copy of it)', () => {
    const values = chartValues();
    values.server.config.numHistoryShards = 64;
    (values.server.config.persistence.default as { sql: Sql }).sql.maxConns = 7;
    values.server.dynamicConfig = { 'limit.maxIDLength': [{ value: 255 }] };
    const r = renderTemporalConfig(values, local);
    expect((r.config.persistence as { numHistoryShards: number }).numHistoryShards).toBe(64);
    expect(store(r.config, 'default').maxConns).toBe(7);
    expect(r.dynamicConfig).toEqual({ 'limit.maxIDLength': [{ value: 255 }] });
  });

  it('lists every loopback override and binds every service to 127.0.0.1', () => {
    const r = renderTemporalConfig(chartValues(), local);
    expect(r.overrides.join('\n')).toMatch(/default: .*5432 -> 127\.0\.0\.1:27200; .*TLS on \(host verified\) -> off/);
    expect(r.overrides.join('\n')).toMatch(/visibility: .*TLS on \(host verified\) -> off/);
    for (const s of Object.values(r.config.services as Record<string, { rpc: { bindOnIP: string } }>))
      expect(s.rpc.bindOnIP).toBe('127.0.0.1');
  });

  it('refuses a values file whose store is not SQL', () => {
    const values = chartValues();
    values.server.config.persistence.visibility = { driver: 'elasticsearch' };
    expect(() => renderTemporalConfig(values, local, 'v.yaml')).toThrow('v.yaml: server.config.persistence.visibility is not a sql store');
  });

  it('with TLS keeps the chart’s PostgreSQL TLS (host verified) against the local CA, and requires client certificates at the frontend', () => {
    const tls = {
      caFile: '/t/ca.crt',
      serverCertFile: '/t/server.crt',
      serverKeyFile: '/t/server.key',
      clientCertFile: '/t/client.crt',
      clientKeyFile: '/t/client.key',
    };
    const r = renderTemporalConfig(chartValues(), { ...local, tls });
    for (const name of ['default', 'visibility']) {
      expect(store(r.config, name).tls).toEqual({
        enabled: true,
        caFile: '/t/ca.crt',
        enableHostVerification: true,
        serverName: 'localhost',
      });
    }
    const global = r.config.global as { tls: { frontend: { server: Record<string, unknown> }; systemWorker: Record<string, unknown> } };
    expect(global.tls.frontend.server).toEqual({
      certFile: '/t/server.crt',
      keyFile: '/t/server.key',
      requireClientAuth: true,
      clientCaFiles: ['/t/ca.crt'],
    });
    expect(global.tls.systemWorker).toMatchObject({ certFile: '/t/client.crt', keyFile: '/t/client.key' });
    expect(r.overrides.join('\n')).toMatch(/default: .*TLS on \(host verified\), CA and server name -> the local CA, localhost/);
    expect(r.overrides.join('\n')).toMatch(/frontend: mTLS with the local CA/);
    // without TLS nothing of it is rendered
    expect((renderTemporalConfig(chartValues(), local).config.global as Record<string, unknown>).tls).toBeUndefined();
  });
});
