import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { CachePort } from '../../cache/cache-port.js';
import { createMemoryCache } from '../../cache/memory/memory-cache.js';
import { HttpProblemError } from '../problem.js';
import { sharedRateLimitStore } from './shared-rate-limit-store.js';

export interface RateLimitOptions {
  max: number;
  windowMs: number;
  /** Shared windows (Redis) so several instances spend one budget; absent: this process counts alone. */
  sharedCache?: CachePort | undefined;
}

/**
 * Per-caller rate limit: keyed by API key id (by client IP in open mode or before authentication), with
 * `max` requests per `windowMs`. Exceeding it is a 429 problem with `Retry-After` (seconds).
 * It runs after authentication (route-level hook), so a key's budget is shared across its tenants' routes.
 */
export async function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    ...(options.sharedCache === undefined
      ? {}
      : { store: sharedRateLimitStore(options.sharedCache, createMemoryCache({ prefix: 'rate:' }), options.windowMs) }),
    max: options.max,
    timeWindow: options.windowMs,
    // Success responses carry no x-ratelimit-* headers (they cost every request); a 429 carries Retry-After.
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    keyGenerator: (request) => (request.principal?.kind === 'key' ? `key:${request.principal.key.id}` : `ip:${request.ip}`),
    errorResponseBuilder: (_request, context) =>
      new HttpProblemError({
        status: 429,
        code: 'rate_limited',
        detail: `Rate limit exceeded: at most ${context.max} requests per ${Math.round(options.windowMs / 1000)} s; retry in ${context.after}.`,
      }),
  });
}
