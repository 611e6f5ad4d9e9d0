import type { FastifyRequest } from 'fastify';
import { NotFoundError, ValidationError } from '../core/errors.js';
import type { Engine } from '../engine.js';
import { canSeeTenant } from './access-policy.js';
import { principalOf } from './principal.js';

function notFound(tenantId: string): NotFoundError {
  return new NotFoundError(`Tenant "${tenantId}" does not exist.`, { code: 'tenant_not_found' });
}

/**
 * The tenant of a request: the path's (already checked by auth) or, on the seed's unprefixed /v1/context/* and
 * /api/context/* paths, the API key's — or the `tenant` field for open mode and keys valid for every tenant. A key
 * scoped to one tenant naming another gets the same 404 as an unknown tenant.
 */
export async function tenantOfRequest(engine: Engine, request: FastifyRequest, given: string | undefined): Promise<string> {
  const path = (request.params as Record<string, unknown> | undefined)?.tenant;
  if (typeof path === 'string') {
    if (given !== undefined && given !== path) {
      throw new ValidationError(`The tenant field (${given}) differs from the tenant in the path (${path}).`, {
        code: 'tenant_mismatch',
      });
    }
    return path;
  }
  const principal = principalOf(request);
  const keyTenant = principal.kind === 'key' ? principal.key.tenantId : null;
  const tenantId = given ?? keyTenant;
  if (tenantId === null) {
    throw new ValidationError('Name the tenant: pass "tenant" (this key is not scoped to one tenant).', {
      code: 'tenant_required',
    });
  }
  if (!canSeeTenant(principal, tenantId)) throw notFound(tenantId);
  try {
    await engine.tenants.require(tenantId);
  } catch (error) {
    if (error instanceof NotFoundError) throw notFound(tenantId);
    throw error;
  }
  return tenantId;
}
