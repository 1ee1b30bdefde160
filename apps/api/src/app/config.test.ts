import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenTable, tokenWeakness } from '../auth/tokens';
import { ConfigError, loadConfig } from './config';
import { startupWarnings } from './startup-warnings';

const TOKEN = 'tests:admin:0f1e2d3c4b5a69788796a5b4c3d2e1f0';

describe('API configuration', () => {
  it('connects to Temporal in plain text unless TEMPORAL_TLS_* is set', () => {
    expect(loadConfig({ FLOWSTEER_API_TOKENS: TOKEN }).temporalTls).toBeUndefined();
  });

  it('reads the mTLS pair and CA the chart mounts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowsteer-api-tls-'));
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(join(dir, 'tls.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, 'tls.crt'), publicKey.export({ type: 'spki', format: 'pem' }));
    const config = loadConfig({
      FLOWSTEER_API_TOKENS: TOKEN,
      TEMPORAL_TLS_CERT: join(dir, 'tls.crt'),
      TEMPORAL_TLS_KEY: join(dir, 'tls.key'),
    });
    expect(config.temporalTls?.clientCertPair).toBeDefined();
  });

  it('a half-set TLS pair is a ConfigError that names the variables', () => {
    expect(() => loadConfig({ FLOWSTEER_API_TOKENS: TOKEN, TEMPORAL_TLS_KEY: '/x/tls.key' })).toThrow(ConfigError);
    expect(() => loadConfig({ FLOWSTEER_API_TOKENS: TOKEN, TEMPORAL_TLS_KEY: '/x/tls.key' })).toThrow(
      /TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together/,
    );
  });
});

describe('API tokens: principals, roles, digests', () => {
  const STRONG = '6f1d0c9b8a7e6d5c4b3a29180716f5e4d3c2b1a0';

  it('reads principal:role:token and principal:role:sha256:<hex>, keeping only digests', () => {
    const digest = createHash('sha256').update(STRONG).digest('hex');
    const config = loadConfig({ FLOWSTEER_API_TOKENS: `alice:operator:${STRONG}, vera:viewer:sha256:${digest}` });
    expect(config.tokens.map((t) => [t.name, t.role])).toEqual([
      ['alice', 'operator'],
      ['vera', 'viewer'],
    ]);
    expect(config.tokens[0]?.digest.toString('hex')).toBe(digest);
    expect(JSON.stringify(config)).not.toContain(STRONG);
    const table = new TokenTable(config.tokens);
    expect(table.match(STRONG)).toEqual({ name: 'alice', role: 'operator' });
    expect(table.match(`${STRONG}x`)).toBeUndefined();
  });

  it('takes a bare token as admin "default" (the old form), with a warning', () => {
    const config = loadConfig({ FLOWSTEER_API_TOKENS: STRONG });
    expect(config.tokens[0]).toMatchObject({ name: 'default', role: 'admin', legacy: true });
    expect(startupWarnings(config).join('\n')).toMatch(/no principal and role: it acts as admin "default"/);
  });

  it('refuses short tokens, bad digests, unknown principals and a principal with two roles, without echoing secrets', () => {
    expect(() => loadConfig({ FLOWSTEER_API_TOKENS: 'alice:admin:short' })).toThrow(/#1 \(alice\) is shorter than 16/);
    expect(() => loadConfig({ FLOWSTEER_API_TOKENS: 'alice:admin:sha256:abc' })).toThrow(/64 hex digits/);
    expect(() => loadConfig({ FLOWSTEER_API_TOKENS: `bad name:admin:${STRONG}` })).toThrow(/not a principal name/);
    expect(() => loadConfig({ FLOWSTEER_API_TOKENS: `a:admin:${STRONG},a:viewer:${STRONG}y` })).toThrow(/principal "a" has two roles/);
    let message = '';
    try {
      loadConfig({ FLOWSTEER_API_TOKENS: 'alice:admin:tooshort-secret' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).not.toContain('tooshort-secret');
  });

  it('judges raw tokens: length and distinct characters', () => {
    expect(tokenWeakness('0123456789abcdef')).toMatch(/only 16 characters/);
    expect(tokenWeakness('a'.repeat(40))).toMatch(/only 1 distinct/);
    expect(tokenWeakness('passwordpasswordpasswordpassword')).toMatch(/only 7 distinct/);
    expect(tokenWeakness(STRONG)).toBeUndefined();
    expect(tokenWeakness(randomBytes(24).toString('hex'))).toBeUndefined();
  });
});

describe('startup warnings', () => {
  const TOKEN_SPEC = `ops:admin:${randomBytes(24).toString('hex')}`;

  it('warns about a weak token by its principal, never showing it', () => {
    const warnings = startupWarnings(loadConfig({ FLOWSTEER_API_TOKENS: 'ci:operator:password-password-1' }));
    expect(warnings.join('\n')).toMatch(/API token #1 \(ci\) looks weak/);
    expect(warnings.join('\n')).not.toContain('password-password-1');
  });

  it('warns about a plain-HTTP bind off loopback, unless TLS is served or terminated upstream', () => {
    expect(startupWarnings(loadConfig({ FLOWSTEER_API_TOKENS: TOKEN_SPEC }))).toEqual([]);
    const exposed = startupWarnings(loadConfig({ FLOWSTEER_API_TOKENS: TOKEN_SPEC, FLOWSTEER_API_HOST: '0.0.0.0' }));
    expect(exposed.join('\n')).toMatch(/listening on 0\.0\.0\.0 over plain HTTP/);
    const upstream = startupWarnings(
      loadConfig({
        FLOWSTEER_API_TOKENS: TOKEN_SPEC,
        FLOWSTEER_API_HOST: '0.0.0.0',
        FLOWSTEER_API_TLS_UPSTREAM: 'true',
        FLOWSTEER_API_SIGNING_KEY: 'k'.repeat(16) + 'x'.repeat(16),
      }),
    );
    expect(upstream).toEqual([]);
  });

  it('says when no token is configured', () => {
    expect(startupWarnings(loadConfig({})).join('\n')).toMatch(/no API tokens configured/);
  });
});
