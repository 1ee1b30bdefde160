import { isIP } from 'node:net';
import type { ApiConfig } from './config';

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * What the operator should know at start: guessable tokens, tokens in the old form (admin
 * "default"), no tokens at all, a plain-HTTP bind reachable from other machines, and a signing key
 * that exists in this process only (stream and page tokens then work on this replica alone).
 */
export function startupWarnings(config: ApiConfig): string[] {
  const warnings: string[] = [];
  if (!config.tokens.length)
    warnings.push(
      'no API tokens configured (FLOWSTEER_API_TOKENS or FLOWSTEER_API_TOKENS_FILE): every route but /healthz and /readyz answers 401',
    );
  config.tokens.forEach((t, i) => {
    if (t.weakness) warnings.push(`API token #${i + 1} (${t.name}) looks weak: ${t.weakness}; use e.g. \`openssl rand -hex 24\``);
    if (t.legacy)
      warnings.push(
        `API token #${i + 1} has no principal and role: it acts as admin "${t.name}"; write it as <principal>:<role>:<token> (roles: viewer, operator, admin)`,
      );
  });
  const exposed = !isLoopback(config.host);
  if (exposed && !config.tls && !config.tlsUpstream) {
    warnings.push(
      `listening on ${config.host} over plain HTTP: bearer tokens cross the network in clear text. Serve HTTPS (FLOWSTEER_API_TLS_CERT and FLOWSTEER_API_TLS_KEY), ` +
        'or terminate TLS in front of the API and say so with FLOWSTEER_API_TLS_UPSTREAM=true',
    );
  }
  if (exposed && !config.signingKeyConfigured)
    warnings.push(
      'FLOWSTEER_API_SIGNING_KEY is not set: stream and page tokens are signed with a per-process key and fail on other replicas',
    );
  return warnings;
}
