import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';

const TOKEN = 'a-long-enough-test-token';

describe('API configuration', () => {
  it('connects to Temporal in plain text unless TEMPORAL_TLS_* is set', () => {
    expect(loadConfig({ FLOWSTEER_API_TOKENS: TOKEN }).temporalTls).toBeUndefined();
  });

  it('reads the mTLS pair and CA the chart mounts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowsteer-api-tls-'));
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(join(dir, 'tls.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, 'tls.crt'), publicKey.export({ type: 'spki', format: 'pem' }));
    const config = loadConfig({ FLOWSTEER_API_TOKENS: TOKEN, TEMPORAL_TLS_CERT: join(dir, 'tls.crt'), TEMPORAL_TLS_KEY: join(dir, 'tls.key') });
    expect(config.temporalTls?.clientCertPair).toBeDefined();
  });

  it('a half-set TLS pair is a ConfigError that names the variables', () => {
    expect(() => loadConfig({ FLOWSTEER_API_TOKENS: TOKEN, TEMPORAL_TLS_KEY: '/x/tls.key' })).toThrow(ConfigError);
    expect(() => loadConfig({ FLOWSTEER_API_TOKENS: TOKEN, TEMPORAL_TLS_KEY: '/x/tls.key' })).toThrow(/TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together/);
  });
});
