import type { Redis } from 'ioredis';
import { BackendUnavailableError, ConflictError } from '../../core/errors.js';
import type { BackendHealth, BackendStatusListener } from '../backend-health.js';
import { assertPositiveMs, assertString } from '../cache-arguments.js';
import type { CachePort, WindowCount } from '../cache-port.js';
import { closeRedisConnection } from './redis-close.js';
import { connectOrDegrade, describeRedisUrl, openRedisConnection, type RedisConnectionOptions } from './redis-connection.js';
import { escapeGlob, INCREMENT_WINDOW_SCRIPT } from './redis-scripts.js';
import { errorMessage, isReplyError, RedisStatus } from './redis-status.js';

export interface RedisCacheOptions extends Omit<RedisConnectionOptions, 'connectionName'> {
  /** Namespace of every key (default `ctx:`). */
  prefix?: string;
  /** Told when Redis goes down or comes back. */
  onStatusChange?: BackendStatusListener;
  /** Told about failures that are not outages (a reply error from Redis). */
  onError?: (error: unknown) => void;
}

type WindowClient = Redis & { ctxIncrementWindow(key: string, windowMs: number): Promise<[number, number]> };

/**
 * The cache over Redis: TTL native (SET PX), windows counted atomically by a Lua script, prefix deletes by
 * SCAN + UNLINK. A write or invalidation dropped during an outage marks the namespace dirty: until the whole
 * namespace has been flushed after Redis returns, every `get` is a miss, so no stale value is ever served
 * by this instance. Resolves after the first connection attempt; a down Redis yields a degraded cache.
 */
export async function createRedisCache(options: RedisCacheOptions): Promise<CachePort> {
  const prefix = options.prefix ?? 'ctx:';
  const client = openRedisConnection({ ...options, connectionName: 'ctx-cache' }) as WindowClient;
  client.defineCommand('ctxIncrementWindow', { numberOfKeys: 1, lua: INCREMENT_WINDOW_SCRIPT });
  let dirty = false;
  let flushing: Promise<void> | undefined;
  const status = new RedisStatus(`redis cache at ${describeRedisUrl(options.url)}:`, options.onStatusChange, () => {
    void flushIfDirty();
  });
  status.watch(client, 'connection');

  const ready = (): boolean => client.status === 'ready';

  function failed(error: unknown): void {
    if (isReplyError(error)) options.onError?.(error);
    else status.markDown(`command failed: ${errorMessage(error)}`);
  }

  async function scanDelete(fullPrefix: string): Promise<void> {
    const match = `${escapeGlob(fullPrefix)}*`;
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', match, 'COUNT', 1000);
      if (keys.length > 0) await client.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  function flushIfDirty(): Promise<void> {
    if (!dirty || !ready()) return Promise.resolve();
    flushing ??= scanDelete(prefix)
      .then(() => {
        dirty = false;
      }, failed)
      .finally(() => {
        flushing = undefined;
      });
    return flushing;
  }

  /** Runs a best-effort write; an outage marks the namespace dirty instead of throwing. */
  async function bestEffort(write: () => Promise<unknown>): Promise<void> {
    if (!ready()) {
      dirty = true;
      return;
    }
    try {
      await write();
      status.markUp();
    } catch (error) {
      dirty = true;
      failed(error);
    }
  }

  const cache: CachePort = {
    async get(key) {
      if (!ready()) return undefined;
      if (dirty) {
        void flushIfDirty();
        return undefined;
      }
      try {
        const value = await client.get(prefix + key);
        status.markUp();
        return value ?? undefined;
      } catch (error) {
        failed(error);
        return undefined;
      }
    },
    async set(key, value, { ttlMs }) {
      assertString('value', value);
      assertPositiveMs('ttlMs', ttlMs);
      await bestEffort(() => client.set(prefix + key, value, 'PX', ttlMs));
    },
    async delete(key) {
      await bestEffort(() => client.unlink(prefix + key));
    },
    async deleteByPrefix(keyPrefix) {
      await bestEffort(() => scanDelete(prefix + keyPrefix));
    },
    async incrementWindow(key, windowMs): Promise<WindowCount> {
      assertPositiveMs('windowMs', windowMs);
      if (!ready()) throw new BackendUnavailableError('Redis is unavailable: the shared window cannot be counted.');
      try {
        const [count, remainingMs] = await client.ctxIncrementWindow(prefix + key, windowMs);
        status.markUp();
        return { count, resetAt: Date.now() + remainingMs };
      } catch (error) {
        failed(error);
        if (isReplyError(error)) throw new ConflictError('The key holds a value that is not a window counter.', { cause: error });
        throw new BackendUnavailableError('Redis is unavailable: the shared window cannot be counted.', { cause: error });
      }
    },
    async health(): Promise<BackendHealth> {
      if (!ready()) return status.current();
      try {
        await client.ping();
        status.markUp();
      } catch (error) {
        failed(error);
      }
      return status.current();
    },
    async close() {
      status.stop();
      await closeRedisConnection(client);
    },
  };
  await connectOrDegrade(client, options.connectTimeoutMs ?? 2_000);
  return cache;
}
