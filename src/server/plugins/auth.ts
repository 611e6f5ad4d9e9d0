import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiKeyRecord } from '../../core/api-key.js';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../core/errors.js';
import { TENANT_ID_PATTERN } from '../../core/tenant.js';
import type { Engine } from '../../engine.js';
import { allows, canSeeTenant } from '../access-policy.js';
import { callbackHook } from '../callback-hook.js';
import type { KeyCountCache } from '../key-count-cache.js';
import type { KeyVerifier } from '../key-verifier.js';
import { type Access, type Principal, routeConfigOf } from '../principal.js';

export interface AuthOptions {
  engine: Engine;
  verifier: KeyVerifier;
  boundToLoopback: boolean;
  keyCount: KeyCountCache;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const OPEN: Principal = Object.freeze({ kind: 'open' });

function tenantNotFound(tenantId: string): NotFoundError {
  return new NotFoundError(`Tenant "${tenantId}" does not exist.`, { code: 'tenant_not_found' });
}

function keyRequired(hasKeys: boolean): UnauthorizedError {
  return new UnauthorizedError(
    hasKeys
      ? 'An API key is required: send "Authorization: Bearer <api key>".'
      : 'No API keys exist and the server is not bound to loopback; create one with `ctx keys create`.',
    { code: 'api_key_required' },
  );
}

function keyPrincipal(key: ApiKeyRecord | undefined): Principal {
  if (key === undefined)
    throw new UnauthorizedError('The API key is not valid (unknown, revoked or mistyped).', { code: 'invalid_api_key' });
  return { kind: 'key', key };
}

/** The caller, synchronously while the answer is cached (a remembered key, a fresh key count), else a promise. */
function authenticate(request: FastifyRequest, options: AuthOptions): Principal | Promise<Principal> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) throw new UnauthorizedError('The Authorization header must be "Bearer <api key>".');
    const remembered = options.verifier.peek(token);
    return remembered === undefined ? options.verifier.verify(token).then(keyPrincipal) : keyPrincipal(remembered);
  }
  const openOrRefuse = (hasKeys: boolean): Principal => {
    if (!hasKeys && options.boundToLoopback) return OPEN;
    throw keyRequired(hasKeys);
  };
  const hasKeys = options.keyCount.peek();
  return hasKeys === undefined ? options.keyCount.hasKeys().then(openOrRefuse) : openOrRefuse(hasKeys);
}

function authorize(principal: Principal, access: Access): void {
  if (allows(principal, access)) return;
  const role = principal.kind === 'key' ? principal.key.role : 'open';
  throw new ForbiddenError(
    access === 'global_admin'
      ? 'Only an admin key valid for every tenant may do this.'
      : `A ${role} key may not do this; it needs the ${access} permission.`,
    { code: 'insufficient_role' },
  );
}

/**
 * Authentication (Bearer API keys, or open mode) and authorization (tenant scope, then role) for every
 * route that declares `config.access`; routes without it (health, metrics, docs) are public. A callback
 * hook with a synchronous fast path: a remembered key and a tenant seen before cost no promise.
 */
export function registerAuth(app: FastifyInstance, options: AuthOptions): void {
  // Tenants are never deleted: once seen, a tenant's existence needs no further store read.
  const existingTenants = new Set<string>();

  /** The tenant in the path must be inside the principal's scope and exist; both failures look the same (404). */
  function requireVisibleTenant(principal: Principal, tenantId: string): void | Promise<void> {
    if (!TENANT_ID_PATTERN.test(tenantId)) return; // the params schema answers 400
    if (!canSeeTenant(principal, tenantId)) throw tenantNotFound(tenantId);
    if (existingTenants.has(tenantId)) return;
    return options.engine.tenants.require(tenantId).then(
      () => {
        existingTenants.add(tenantId);
      },
      (error: unknown) => {
        throw error instanceof NotFoundError ? tenantNotFound(tenantId) : error;
      },
    );
  }

  function admit(request: FastifyRequest, principal: Principal, access: Access): void | Promise<void> {
    request.principal = principal;
    const tenant = (request.params as Record<string, unknown> | undefined)?.tenant;
    const pending = typeof tenant === 'string' ? requireVisibleTenant(principal, tenant) : undefined;
    if (pending === undefined) return authorize(principal, access);
    return pending.then(() => authorize(principal, access));
  }

  app.decorateRequest('principal', null);
  app.addHook(
    'onRequest',
    callbackHook((request) => {
      const access = routeConfigOf(request).access;
      if (access === undefined) return;
      const principal = authenticate(request, options);
      if (principal instanceof Promise) return principal.then((resolved) => admit(request, resolved, access));
      return admit(request, principal, access);
    }),
  );
}
