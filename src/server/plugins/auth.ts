import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../core/errors.js';
import { TENANT_ID_PATTERN } from '../../core/tenant.js';
import type { Engine } from '../../engine.js';
import { allows, canSeeTenant } from '../access-policy.js';
import type { KeyCountCache } from '../key-count-cache.js';
import type { KeyVerifier } from '../key-verifier.js';
import type { Principal } from '../principal.js';

export interface AuthOptions {
  engine: Engine;
  verifier: KeyVerifier;
  boundToLoopback: boolean;
  keyCount: KeyCountCache;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function tenantNotFound(tenantId: string): NotFoundError {
  return new NotFoundError(`Tenant "${tenantId}" does not exist.`, { code: 'tenant_not_found' });
}

async function authenticate(request: FastifyRequest, options: AuthOptions): Promise<Principal> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) throw new UnauthorizedError('The Authorization header must be "Bearer <api key>".');
    const key = await options.verifier.verify(token);
    if (key === undefined)
      throw new UnauthorizedError('The API key is not valid (unknown, revoked or mistyped).', { code: 'invalid_api_key' });
    return { kind: 'key', key };
  }
  const hasKeys = options.keyCount.peek() ?? (await options.keyCount.hasKeys());
  if (!hasKeys && options.boundToLoopback) return { kind: 'open' };
  throw new UnauthorizedError(
    hasKeys
      ? 'An API key is required: send "Authorization: Bearer <api key>".'
      : 'No API keys exist and the server is not bound to loopback; create one with `ctx keys create`.',
    { code: 'api_key_required' },
  );
}

/** The tenant in the path must be inside the key's scope and exist; both failures look the same (404). */
async function requireVisibleTenant(engine: Engine, principal: Principal, tenantId: string): Promise<void> {
  if (!TENANT_ID_PATTERN.test(tenantId)) return; // the params schema answers 400
  if (!canSeeTenant(principal, tenantId)) throw tenantNotFound(tenantId);
  try {
    await engine.tenants.require(tenantId);
  } catch (error) {
    if (error instanceof NotFoundError) throw tenantNotFound(tenantId);
    throw error;
  }
}

/**
 * Authentication (Bearer API keys, or open mode) and authorization (tenant scope, then role) for every
 * route that declares `config.access`; routes without it (health, metrics, docs) are public.
 */
export function registerAuth(app: FastifyInstance, options: AuthOptions): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access;
    if (access === undefined) return;
    const principal = await authenticate(request, options);
    request.principal = principal;
    const tenant = (request.params as Record<string, unknown> | undefined)?.tenant;
    if (typeof tenant === 'string') await requireVisibleTenant(options.engine, principal, tenant);
    if (!allows(principal, access)) {
      const role = principal.kind === 'key' ? principal.key.role : 'open';
      throw new ForbiddenError(
        access === 'global_admin'
          ? 'Only an admin key valid for every tenant may do this.'
          : `A ${role} key may not do this; it needs the ${access} permission.`,
        { code: 'insufficient_role' },
      );
    }
  });
}
