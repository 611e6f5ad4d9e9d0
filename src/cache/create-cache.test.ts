import { describe, expect, it } from 'vitest';
import { createCache, createPubSub } from './create-cache.js';
import { describeRedisUrl, redactCredentials } from './redis/redis-connection.js';

describe('createCache / createPubSub', () => {
  it('pick memory when no Redis URL is given', async () => {
    for (const redisUrl of [undefined, '', '  ']) {
      const cache = await createCache({ redisUrl, prefix: 'p:' });
      await cache.set('k', 'v', { ttlMs: 1_000 });
      expect(await cache.get('k')).toBe('v');
      expect(await cache.health()).toEqual({ ok: true });
      await cache.close();
      const pubsub = await createPubSub({ redisUrl });
      expect(await pubsub.health()).toEqual({ ok: true });
      await pubsub.close();
    }
  });

  it('reject a malformed URL without echoing it (it may hold a password)', async () => {
    const attempt = createCache({ redisUrl: 'http://user:secret@host' });
    await expect(attempt).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(attempt).rejects.not.toThrow(/secret/);
    await expect(createPubSub({ redisUrl: 'not a url secret' })).rejects.not.toThrow(/secret/);
  });

  it('describe Redis URLs and messages without credentials', () => {
    expect(describeRedisUrl('redis://user:secret@cache.internal:6380/2?password=x')).toBe('redis://cache.internal:6380/2');
    expect(redactCredentials('failed for rediss://default:secret@host:6379')).toBe('failed for rediss://***@host:6379');
  });

  it('start degraded, not failed, when Redis is down', async () => {
    const statuses: boolean[] = [];
    const cache = await createCache({ redisUrl: 'redis://127.0.0.1:1', onStatusChange: ({ ok }) => statuses.push(ok) });
    expect(await cache.get('k')).toBeUndefined();
    const health = await cache.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toContain('redis://127.0.0.1:1');
    expect(statuses).toEqual([false]);
    await cache.close();
  });
});
