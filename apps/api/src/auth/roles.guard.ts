import {
  ForbiddenException,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { hasRole, type AuthenticatedRequest, type Role } from './principal';
import { IS_PUBLIC } from './public';

export const MIN_ROLE = 'flowsteer:min-role';

/** The least role a route needs (default: viewer, i.e. any authenticated principal). */
export const MinRole = (role: Role) => SetMetadata(MIN_ROLE, role);

/**
 * Per-route authorisation: the request must carry the principal the authentication middleware
 * found (never absent on a protected route; 401 if it is) with at least the route's role (403).
 * Ownership is checked by the services, where the workflow's owner is known.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & { method: string }>();
    const principal = request.principal;
    if (!principal) throw new UnauthorizedException('missing bearer token: send "Authorization: Bearer <token>"');
    const needed = this.reflector.getAllAndOverride<Role>(MIN_ROLE, targets) ?? 'viewer';
    if (!hasRole(principal, needed)) throw new ForbiddenException(`${principal.name} has the role ${principal.role}; this needs ${needed}`);
    return true;
  }
}
