import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CachePort, WindowCount } from '../../cache/cache-port.js';
import { BackendUnavailableError } from '../../core/errors.js';
import { callbackHook } from '../callback-hook.js';
import { HttpProblemError } from '../problem.js';
import { createLocalRateWindows } from './local-rate-windows.js';

export interface RateLimitOptions {
  max: number;
  windowMs: number;
  /** Shared windows (Redis) so several instances spend one budget; absent: this process counts alone. */
  sharedCache?: CachePort | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` exempts a route from the rate limit (health, metrics, the OpenAPI document). */
    rateLimit?: false;
  }
}

/**
 * Per-caller rate limit: keyed by API key id (by client IP in open mode or before authentication), with
 * `max` requests per fixed window of `windowMs`. Exceeding it is a 429 problem with `Retry-After` (seconds).
 * It runs after authentication (a route-level onRequest hook, after the global ones), so a key's budget is
 * shared across its tenants' routes. Counting in this process is synchronous (no promise per request); with
 * a shared cache the windows live there, and while it is down this instance counts alone — a local limit,
 * neither rejecting everyone nor dropping the limit.
 */
export function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): void {
  const { max, windowMs, sharedCache } = options;
  const local = createLocalRateWindows(windowMs);

  function keyOf(request: FastifyRequest): string {
    return request.principal?.kind === 'key' ? `key:${request.principal.key.id}` : `ip:${request.ip}`;
  }

  function enforce(reply: FastifyReply, window: WindowCount): void {
    if (window.count <= max) return;
    const seconds = Math.max(1, Math.ceil((window.resetAt - Date.now()) / 1000));
    reply.header('x-ratelimit-limit', max);
    reply.header('x-ratelimit-remaining', 0);
    reply.header('x-ratelimit-reset', seconds);
    reply.header('retry-after', seconds);
    throw new HttpProblemError({
      status: 429,
      code: 'rate_limited',
      detail: `Rate limit exceeded: at most ${max} requests per ${Math.round(windowMs / 1000)} s; retry in ${seconds} s.`,
    });
  }

  const count = callbackHook((request, reply) => {
    const key = keyOf(request);
    if (sharedCache === undefined) return enforce(reply, local.increment(key));
    return sharedCache.incrementWindow(key, windowMs).then(
      (window) => enforce(reply, window),
      (error: unknown) => {
        if (error instanceof BackendUnavailableError) return enforce(reply, local.increment(key));
        throw error;
      },
    );
  });

  app.addHook('onRoute', (route) => {
    if (route.config?.rateLimit === false) return;
    route.onRequest = [...asArray(route.onRequest), count];
  });
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
