import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { CachePort } from '../../cache/cache-port.js';
import { BackendUnavailableError } from '../../core/errors.js';

type Increment = (error: Error | null, result?: { current: number; ttl: number }) => void;

interface RouteLimitOptions {
  routeInfo?: { method?: unknown; url?: unknown };
}

/**
 * A store for @fastify/rate-limit that counts in a shared fixed window (Redis), so every instance spends the
 * same budget. When Redis is down it falls back to a window of this instance alone: a local limit, neither
 * rejecting everyone nor dropping the limit.
 */
export function sharedRateLimitStore(shared: CachePort, local: CachePort, windowMs: number): FastifyRateLimitStoreCtor {
  class SharedRateLimitStore {
    readonly #prefix: string;

    constructor(_options?: object, prefix = '') {
      this.#prefix = prefix;
    }

    /** The plugin passes the window it was configured with; `windowMs` covers a caller that does not. */
    incr(key: string, callback: Increment, timeWindow: number = windowMs): void {
      const windowKey = `${this.#prefix}${key}`;
      shared
        .incrementWindow(windowKey, timeWindow)
        .catch((error: unknown) => {
          if (error instanceof BackendUnavailableError) return local.incrementWindow(windowKey, timeWindow);
          throw error;
        })
        .then(
          ({ count, resetAt }) => callback(null, { current: count, ttl: Math.max(0, resetAt - Date.now()) }),
          (error: unknown) => callback(error as Error),
        );
    }

    child(routeOptions: RouteLimitOptions) {
      const route = routeOptions.routeInfo;
      return new SharedRateLimitStore(undefined, `${this.#prefix}${String(route?.method ?? '')}:${String(route?.url ?? '')}:`);
    }
  }
  // The plugin's type declarations omit the window argument its run time passes to incr.
  return SharedRateLimitStore as unknown as FastifyRateLimitStoreCtor;
}
