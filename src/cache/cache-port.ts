import type { BackendHealth } from './backend-health.js';

export interface CacheSetOptions {
  /** Time to live in milliseconds (a positive integer). Every cached value expires. */
  ttlMs: number;
}

/** A fixed-window counter reading: the count after this increment, and when the window ends (epoch ms). */
export interface WindowCount {
  count: number;
  resetAt: number;
}

/**
 * A cache of rebuildable, expiring string values (callers serialise). Keys live under the cache's own
 * namespace prefix (e.g. `ctx:`); build them with `cacheKey(tenantId, ...parts)` so tenants never collide.
 *
 * A cache is never the source of truth. When the backend is down, `get` answers a miss and `set`, `delete`
 * and `deleteByPrefix` do nothing — none of them throws for an outage — and the outage shows in `health()`
 * and the backend's status listener. Invalid arguments (a bad TTL) still throw `ValidationError`.
 */
export interface CachePort {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options: CacheSetOptions): Promise<void>;
  delete(key: string): Promise<void>;
  /** Deletes every key that starts with `prefix` (use `cacheKeyPrefix(tenantId)` for a whole tenant). */
  deleteByPrefix(prefix: string): Promise<void>;
  /**
   * Adds one to the fixed window of `key` (created on first use, lasting `windowMs`) and returns the new
   * count: shared rate limits across instances. Throws `BackendUnavailableError` when the backend is down;
   * the caller decides whether to fail open (allow) or closed (reject).
   */
  incrementWindow(key: string, windowMs: number): Promise<WindowCount>;
  health(): Promise<BackendHealth>;
  close(): Promise<void>;
}
