/**
 * Who is calling, and what they may do. Roles are ordered: a viewer reads, an operator starts and
 * steers its own work (and reads it), an admin does everything to everything.
 */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export interface Principal {
  name: string;
  role: Role;
}

export function hasRole(principal: Principal, needed: Role): boolean {
  return RANK[principal.role] >= RANK[needed];
}

/** The request field the authentication middleware fills in. */
export interface AuthenticatedRequest {
  principal?: Principal;
}
