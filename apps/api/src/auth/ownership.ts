import { ForbiddenException, NotFoundException } from '@nestjs/common';
import type { Principal } from './principal';

export type AccessMode = 'read' | 'write';

/** Who asks, to do what: every describe of a workflow carries one. */
export interface Access {
  principal: Principal;
  mode: AccessMode;
}

/**
 * The ownership rule, one place:
 * - admin: everything;
 * - viewer: reads everything, writes nothing;
 * - operator: reads and writes what it owns; anything else answers like a workflow that does not
 *   exist (404), so ids of other principals' work are not confirmed.
 * Work without an owner (started before owners existed, or by a Temporal client that set none)
 * belongs to no operator.
 */
export function assertAccess(access: Access, owner: string | undefined, noun: string, id: string): void {
  const { principal, mode } = access;
  if (principal.role === 'admin') return;
  if (principal.role === 'viewer') {
    if (mode === 'read') return;
    throw new ForbiddenException(`${principal.name} has the role viewer; changing a ${noun} needs operator`);
  }
  if (owner !== principal.name) throw new NotFoundException(`no ${noun} with id "${id}"`);
}

/** The owner filter of a list: operators see their own work only; others may ask for one owner. */
export function listOwner(principal: Principal, requested: string | undefined): string | undefined {
  if (principal.role !== 'operator') return requested;
  if (requested !== undefined && requested !== principal.name)
    throw new ForbiddenException(`operators list their own work only (owner=${principal.name})`);
  return principal.name;
}
