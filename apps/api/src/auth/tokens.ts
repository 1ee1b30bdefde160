import { createHash, timingSafeEqual } from 'node:crypto';
import { NAME_PATTERN } from '@flowsteer/contracts';
import { ROLES, type Principal, type Role } from './principal';

/** One accepted bearer token: whose it is, its role, and its SHA-256 digest (the token itself is never kept). */
export interface TokenEntry extends Principal {
  digest: Buffer;
  /** Why the token looks guessable (raw tokens only; a digest cannot be judged). */
  weakness?: string;
  /** A bare token without principal and role (the old form): admin "default". */
  legacy?: boolean;
}

export const LEGACY_PRINCIPAL = 'default';
const MIN_LENGTH = 16;

export const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * One token as configured (`FLOWSTEER_API_TOKENS`, comma-separated, or one a line in
 * `FLOWSTEER_API_TOKENS_FILE`):
 * - `principal:role:sha256:<64 hex>`: configured by digest, so the secret is never in the config;
 * - `principal:role:<token>`: the token itself (hashed at load);
 * - `<token>`: the old form, accepted as admin "default" with a startup warning.
 * Throws an Error that says what is wrong (and never repeats the secret).
 */
export function parseTokenSpec(spec: string, position: number): TokenEntry {
  const parts = spec.split(':');
  if (parts.length >= 3 && NAME_PATTERN.test(parts[0] as string) && (ROLES as readonly string[]).includes(parts[1] as string)) {
    const [name, role, ...rest] = parts as [string, Role, ...string[]];
    const secret = rest.join(':');
    if (rest[0] === 'sha256' && rest.length === 2) {
      const hex = rest[1] as string;
      if (!/^[0-9a-fA-F]{64}$/.test(hex))
        throw new Error(`API token #${position} (${name}): sha256: needs 64 hex digits (printf %s "$TOKEN" | sha256sum)`);
      return { name, role, digest: Buffer.from(hex, 'hex') };
    }
    return { name, role, ...raw(secret, `${name}`, position) };
  }
  if (parts.length >= 2 && (ROLES as readonly string[]).includes(parts[1] as string)) {
    throw new Error(
      `API token #${position}: "${(parts[0] ?? '').slice(0, 20)}" is not a principal name (1-64 letters, digits, ".", "_" or "-")`,
    );
  }
  return { name: LEGACY_PRINCIPAL, role: 'admin', legacy: true, ...raw(spec, LEGACY_PRINCIPAL, position) };
}

function raw(token: string, who: string, position: number): { digest: Buffer; weakness?: string } {
  if (token.length < MIN_LENGTH)
    throw new Error(
      `API token #${position} (${who}) is shorter than ${MIN_LENGTH} characters; use long random tokens (e.g. \`openssl rand -hex 24\`)`,
    );
  const weakness = tokenWeakness(token);
  return { digest: sha256(token), ...(weakness ? { weakness } : {}) };
}

/**
 * Why a token looks guessable, or undefined: fewer than 32 characters, or fewer than 12 distinct
 * characters (a repeated word, a run of digits). A random hex token of 32+ characters passes.
 */
export function tokenWeakness(token: string): string | undefined {
  if (token.length < 32) return `only ${token.length} characters (use 32 or more)`;
  const distinct = new Set(token).size;
  return distinct < 12 ? `only ${distinct} distinct characters` : undefined;
}

/** Every principal has one role, whichever of its tokens it uses. */
export function checkPrincipalRoles(entries: readonly TokenEntry[]): void {
  const roles = new Map<string, Role>();
  for (const e of entries) {
    const known = roles.get(e.name);
    if (known && known !== e.role)
      throw new Error(`principal "${e.name}" has two roles (${known} and ${e.role}); give each principal one role`);
    roles.set(e.name, e.role);
  }
}

/** The accepted tokens. `match` compares the presented token against every entry in constant time. */
export class TokenTable {
  constructor(readonly entries: readonly TokenEntry[]) {
    checkPrincipalRoles(entries);
  }

  match(presented: string): Principal | undefined {
    const digest = sha256(presented);
    let found: TokenEntry | undefined;
    // Every entry is compared, so the time taken does not say which one matched.
    for (const entry of this.entries) if (timingSafeEqual(entry.digest, digest) && !found) found = entry;
    return found ? { name: found.name, role: found.role } : undefined;
  }
}
