import type { FastifyRequest } from 'fastify';
import type { ApiKeyRecord } from '../core/api-key.js';

/**
 * What a route needs:
 * - `read`: any role (documents, history, status, updates of the tenant);
 * - `write`: admin or writer (put, patch, delete, rollback, propose);
 * - `review`: admin or approver (approve, reject, the cross-tenant pending list);
 * - `admin`: admin (tenant policy);
 * - `global_admin`: an admin key valid for every tenant (creating tenants).
 */
export type Access = 'read' | 'write' | 'review' | 'admin' | 'global_admin';

/** Who is calling: an API key, or nobody in open mode (no keys exist and the server is bound to loopback). */
export type Principal = { kind: 'key'; key: ApiKeyRecord } | { kind: 'open' };

/** A claimed `Idempotency-Key` whose answer this request must record (or release). */
export interface IdempotencyClaim {
  scope: string;
  key: string;
  settled: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    idempotency: IdempotencyClaim | null;
    /** A finer route label for metrics than the registered template (e.g. `…/contexts/*\/versions`). */
    metricsRoute: string | null;
    /** The route's config, read once per request (see `routeConfigOf`). */
    routeConfig: FastifyRequest['routeOptions']['config'] | null;
  }
  interface FastifyContextConfig {
    /** What a route needs; routes without it are public (health, metrics, docs). */
    access?: Access;
    /**
     * `false` on routes that never cause an event (plain reads): their correlation id is still echoed, but they
     * skip the event scope (an AsyncLocalStorage context) that other requests run in. Absent = true.
     */
    emitsEvents?: boolean;
  }
}

/** The idempotency scope and rate-limit identity of a principal. */
export function principalId(principal: Principal | null): string | undefined {
  if (principal === null) return undefined;
  return principal.kind === 'key' ? principal.key.id : 'open';
}

/** The authenticated principal of a route that declares `config.access` (set by the auth hook). */
export function principalOf(request: { principal: Principal | null }): Principal {
  if (request.principal === null) throw new Error('principalOf called on a route without config.access');
  return request.principal;
}

const NO_CONFIG = Object.freeze({});

/**
 * The config of the request's route (`access`, `emitsEvents`, `url`, …), memoised on the request: Fastify's
 * `request.routeOptions` getter builds a fresh object on every read, and several hooks need the config.
 */
export function routeConfigOf(request: FastifyRequest): FastifyRequest['routeOptions']['config'] {
  let config = request.routeConfig;
  if (config === null) {
    // Fastify's not-found handler may have no config at all.
    config = request.routeOptions.config ?? (NO_CONFIG as FastifyRequest['routeOptions']['config']);
    request.routeConfig = config;
  }
  return config;
}
