import type { BackendStatusListener } from './backend-health.js';
import type { CachePort } from './cache-port.js';
import { createMemoryCache } from './memory/memory-cache.js';
import { createMemoryPubSub } from './memory/memory-pubsub.js';
import type { PubSubPort } from './pubsub-port.js';
import { createRedisCache } from './redis/redis-cache.js';
import { createRedisPubSub } from './redis/redis-pubsub.js';

export interface CreateCacheOptions {
  /** `CTX_REDIS_URL`: Redis when set (and not empty), memory otherwise. */
  redisUrl?: string | undefined;
  /** Namespace of every key (default `ctx:`). */
  prefix?: string | undefined;
  onStatusChange?: BackendStatusListener | undefined;
  onError?: ((error: unknown) => void) | undefined;
}

export interface CreatePubSubOptions {
  /** `CTX_REDIS_URL`: Redis when set (and not empty); otherwise an in-process pub/sub (one instance only). */
  redisUrl?: string | undefined;
  onStatusChange?: BackendStatusListener | undefined;
  onError?: ((error: unknown, channel: string) => void) | undefined;
}

const usesRedis = (url: string | undefined): url is string => url !== undefined && url.trim() !== '';

/**
 * Picks the cache backend. A Redis that is down at start does not fail this call: the cache starts
 * degraded (misses, health not ok) and recovers by itself. A malformed URL throws `ValidationError`.
 */
export async function createCache(options: CreateCacheOptions = {}): Promise<CachePort> {
  const prefix = options.prefix ?? 'ctx:';
  if (!usesRedis(options.redisUrl)) return createMemoryCache({ prefix });
  return createRedisCache({
    url: options.redisUrl,
    prefix,
    ...(options.onStatusChange ? { onStatusChange: options.onStatusChange } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
}

/** Picks the pub/sub backend, with the same rules as `createCache`. */
export async function createPubSub(options: CreatePubSubOptions = {}): Promise<PubSubPort> {
  const onError = options.onError;
  if (!usesRedis(options.redisUrl)) return createMemoryPubSub(onError ? { onHandlerError: onError } : {});
  return createRedisPubSub({
    url: options.redisUrl,
    ...(options.onStatusChange ? { onStatusChange: options.onStatusChange } : {}),
    ...(onError ? { onError } : {}),
  });
}
