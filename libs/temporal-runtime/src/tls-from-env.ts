import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';

/**
 * mTLS to the Temporal frontend from TEMPORAL_TLS_CERT / TEMPORAL_TLS_KEY / TEMPORAL_TLS_CA (the
 * variable names the Temporal CLI reads, so one Secret mount serves the CLI, workers and the API).
 * Returns undefined (plain connection) when none is set; a half-set pair or an unreadable file is an
 * error that names the variable, raised at start rather than as a handshake failure later.
 */
export function temporalTlsFromEnv(env: NodeJS.ProcessEnv = process.env): TLSConfig | undefined {
  const cert = env.TEMPORAL_TLS_CERT || undefined;
  const key = env.TEMPORAL_TLS_KEY || undefined;
  const ca = env.TEMPORAL_TLS_CA || undefined;
  const serverName = env.TEMPORAL_TLS_SERVER_NAME || undefined;
  if (!cert && !key && !ca && !serverName) return undefined;
  if (Boolean(cert) !== Boolean(key)) {
    throw new Error(`TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together: only ${cert ? 'TEMPORAL_TLS_CERT' : 'TEMPORAL_TLS_KEY'} is set`);
  }
  const tls: TLSConfig = {};
  if (cert && key) tls.clientCertPair = { crt: readPem('TEMPORAL_TLS_CERT', cert), key: readPem('TEMPORAL_TLS_KEY', key) };
  if (ca) tls.serverRootCACertificate = readPem('TEMPORAL_TLS_CA', ca);
  if (serverName) tls.serverNameOverride = serverName;
  return tls;
}

function readPem(variable: string, path: string): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (err) {
    throw new Error(`${variable}=${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (!pem.toString('utf8').includes('-----BEGIN ')) throw new Error(`${variable}=${path} is not a PEM file (no "-----BEGIN" line)`);
  return pem;
}
