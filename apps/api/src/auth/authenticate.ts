import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorBody } from '../common/temporal-exception.filter';
import type { AuthenticatedRequest } from './principal';
import type { TokenSigner } from './signed-token';
import type { TokenTable } from './tokens';

/** Paths open without a token: the probes and the OpenAPI document. */
export const PUBLIC_PATH = /^\/(healthz|readyz)\/?$|^\/docs(-json)?(\/|$)/;

/** `GET /v1/sessions/<id>/stream`: the one route a browser may open with a stream token instead of a header. */
const STREAM_PATH = /^\/v1\/sessions\/([^/]+)\/stream\/?$/;

export const STREAM_TOKEN_PURPOSE = 'stream';
export const STREAM_TOKEN_PARAM = 'access_token';

export interface StreamTokenPayload extends Record<string, unknown> {
  /** principal, role, session id, expiry (unix seconds) */
  p: string;
  r: string;
  s: string;
  exp: number;
}

type Request = IncomingMessage & AuthenticatedRequest & { originalUrl?: string };
type Next = (err?: unknown) => void;

function refuse(req: Request, res: ServerResponse, status: 401 | 403, message: string): void {
  const body: ErrorBody = { statusCode: status, error: status === 401 ? 'Unauthorized' : 'Forbidden', message };
  // The body (if any) is never parsed: it is read and dropped (no JSON parse, no buffering), so the
  // client can finish sending and read the answer; Node's request timeout bounds a client that never stops.
  req.resume();
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="flowsteer"');
  res.end(JSON.stringify(body));
}

/**
 * Authentication as the first middleware, before any body is read: a bearer token (any route), or
 * on the session stream route a short-lived stream token in `?access_token=` (what a browser's
 * `EventSource` can send). No credentials: 401 with a challenge; a token that is not accepted: 403.
 * Authorisation (roles, ownership) happens later, per route.
 */
export function authenticate(tokens: TokenTable, signer: TokenSigner) {
  return (req: Request, res: ServerResponse, next: Next): void => {
    const url = new URL(req.originalUrl ?? req.url ?? '/', 'http://api.invalid');
    if (PUBLIC_PATH.test(url.pathname)) return next();
    const header = req.headers.authorization;
    const streamToken = url.searchParams.get(STREAM_TOKEN_PARAM);
    const session = req.method === 'GET' ? STREAM_PATH.exec(url.pathname)?.[1] : undefined;
    if (!header && streamToken !== null && session) {
      const payload = signer.verify<StreamTokenPayload>(STREAM_TOKEN_PURPOSE, streamToken);
      if (!payload || payload.s !== decodeURIComponent(session))
        return refuse(
          req,
          res,
          403,
          'the stream token is not valid for this stream (expired, altered, or for another session); ask for a new one with POST /v1/sessions/{id}/stream-token',
        );
      req.principal = { name: payload.p, role: payload.r as 'viewer' | 'operator' | 'admin' };
      return next();
    }
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) {
      return refuse(
        req,
        res,
        401,
        header ? 'the Authorization header must be "Bearer <token>"' : 'missing bearer token: send "Authorization: Bearer <token>"',
      );
    }
    const principal = tokens.match(match[1]);
    if (!principal) return refuse(req, res, 403, 'the bearer token is not accepted');
    req.principal = principal;
    next();
  };
}
