import { createHash, timingSafeEqual } from 'node:crypto';
import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { API_CONFIG, type ApiConfig } from '../app/config';
import { IS_PUBLIC } from './public';

const digest = (token: string) => createHash('sha256').update(token).digest();

/**
 * Bearer tokens from configuration. No token: 401 (with a WWW-Authenticate challenge); a token
 * that matches none: 403. Tokens are compared by constant-time digest and never logged or echoed.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  private readonly digests: Buffer[];

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.digests = config.tokens.map(digest);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const http = context.switchToHttp();
    const header = http.getRequest<{ headers: Record<string, string | undefined> }>().headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) {
      http.getResponse<{ setHeader(name: string, value: string): void }>().setHeader('WWW-Authenticate', 'Bearer realm="flowsteer"');
      throw new UnauthorizedException(header ? 'the Authorization header must be "Bearer <token>"' : 'missing bearer token: send "Authorization: Bearer <token>"');
    }
    const presented = digest(match[1]);
    // Compare against every configured token so the time taken does not say which one matched.
    const ok = this.digests.reduce((found, d) => timingSafeEqual(d, presented) || found, false);
    if (!ok) throw new ForbiddenException('the bearer token is not accepted');
    return true;
  }
}
