import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Short signed tokens (HMAC-SHA256 over a JSON payload), for what the API hands out and takes back:
 * stream tokens for browsers (`EventSource` cannot send a header) and list page tokens. Form:
 * `<base64url payload>.<base64url mac>`. A token that was altered, is of another purpose or has
 * expired verifies to undefined.
 */
export class TokenSigner {
  constructor(private readonly key: Buffer) {}

  sign(purpose: string, payload: Record<string, unknown>): string {
    const body = Buffer.from(JSON.stringify({ ...payload, u: purpose })).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  verify<T extends Record<string, unknown>>(purpose: string, token: string, now = Date.now()): T | undefined {
    const dot = token.indexOf('.');
    if (dot <= 0 || dot !== token.lastIndexOf('.')) return undefined;
    const body = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.mac(body), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    if (payload.u !== purpose) return undefined;
    if (typeof payload.exp === 'number' && payload.exp * 1000 < now) return undefined;
    return payload as T;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
