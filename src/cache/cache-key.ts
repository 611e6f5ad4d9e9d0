/**
 * Builds a cache key from a tenant id and parts. Each part is percent-encoded (so `:` and `%` inside a part
 * are escaped) and parts are joined with `:`: two different (tenantId, ...parts) lists never give the
 * same key, so tenants cannot collide.
 */
export function cacheKey(tenantId: string, ...parts: string[]): string {
  return [tenantId, ...parts].map(encodeURIComponent).join(':');
}

/**
 * The prefix every key of `cacheKey(tenantId, ...parts, ...more)` starts with, and no other key does:
 * `deleteByPrefix(cacheKeyPrefix('t1'))` drops tenant t1 and never tenant t10.
 */
export function cacheKeyPrefix(tenantId: string, ...parts: string[]): string {
  return `${cacheKey(tenantId, ...parts)}:`;
}
