import type { ApiKeyRole } from '../core/api-key.js';
import type { Access, Principal } from './principal.js';

export type { Access } from './principal.js';

const ROLE_ACCESS: Record<ApiKeyRole, readonly Access[]> = {
  admin: ['read', 'write', 'review', 'admin', 'global_admin'],
  writer: ['read', 'write'],
  approver: ['read', 'review'],
  reader: ['read'],
};

/** True when the principal may do what the route needs (tenant scope is checked separately). */
export function allows(principal: Principal, access: Access): boolean {
  if (principal.kind === 'open') return true;
  if (access === 'global_admin' && principal.key.tenantId !== null) return false;
  return ROLE_ACCESS[principal.key.role].includes(access);
}

/** The tenants a principal sees: undefined = every tenant. */
export function visibleTenants(principal: Principal): string[] | undefined {
  if (principal.kind === 'open' || principal.key.tenantId === null) return undefined;
  return [principal.key.tenantId];
}

/** True when a principal's scope includes the tenant (existence is checked separately). */
export function canSeeTenant(principal: Principal, tenantId: string): boolean {
  const visible = visibleTenants(principal);
  return visible === undefined || visible.includes(tenantId);
}
