import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { temporalTlsFromEnv } from './tls-from-env';

describe('temporalTlsFromEnv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowsteer-tls-'));
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyPath = join(dir, 'tls.key');
  const certPath = join(dir, 'tls.crt'); // any PEM block will do: the SDK, not this helper, parses it
  const caPath = join(dir, 'ca.crt');
  const notPem = join(dir, 'plain.txt');
  writeFileSync(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(certPath, publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(caPath, publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(notPem, 'hello');

  it('is a plain connection when no TEMPORAL_TLS_* is set (or they are empty)', () => {
    expect(temporalTlsFromEnv({})).toBeUndefined();
    expect(temporalTlsFromEnv({ TEMPORAL_TLS_CERT: '', TEMPORAL_TLS_KEY: '' })).toBeUndefined();
  });

  it('reads the client pair, the CA and the server name', () => {
    const tls = temporalTlsFromEnv({
      TEMPORAL_TLS_CERT: certPath,
      TEMPORAL_TLS_KEY: keyPath,
      TEMPORAL_TLS_CA: caPath,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    expect(Buffer.from(tls?.clientCertPair?.key ?? []).toString()).toContain('BEGIN PRIVATE KEY');
    expect(Buffer.from(tls?.clientCertPair?.crt ?? []).toString()).toContain('BEGIN PUBLIC KEY');
    expect(tls?.serverRootCACertificate).toBeDefined();
    expect(tls?.serverNameOverride).toBe('temporal.internal');
  });

  it('server-side TLS only: a CA without a client pair', () => {
    const tls = temporalTlsFromEnv({ TEMPORAL_TLS_CA: caPath });
    expect(tls?.clientCertPair).toBeUndefined();
    expect(tls?.serverRootCACertificate).toBeDefined();
  });

  it('refuses half a client pair, a missing file and a file that is not PEM, naming the variable', () => {
    expect(() => temporalTlsFromEnv({ TEMPORAL_TLS_CERT: certPath })).toThrow(/only TEMPORAL_TLS_CERT is set/);
    expect(() => temporalTlsFromEnv({ TEMPORAL_TLS_KEY: keyPath })).toThrow(/only TEMPORAL_TLS_KEY is set/);
    expect(() => temporalTlsFromEnv({ TEMPORAL_TLS_CERT: certPath, TEMPORAL_TLS_KEY: join(dir, 'nope.key') })).toThrow(
      /TEMPORAL_TLS_KEY=.*nope\.key cannot be read: ENOENT/,
    );
    expect(() => temporalTlsFromEnv({ TEMPORAL_TLS_CA: notPem })).toThrow(/TEMPORAL_TLS_CA=.*is not a PEM file/);
  });
});
