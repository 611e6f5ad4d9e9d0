import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BackendHealth } from '../backend-health.js';
import type { CachePort } from '../cache-port.js';
import { describeWithRedis } from '../conformance/redis-test-gate.js';
import { createThrowawayRedisServer, type ThrowawayRedisServer } from '../conformance/throwaway-redis-server.js';
import { waitFor } from '../conformance/wait-for.js';
import type { PubSubPort } from '../pubsub-port.js';
import { createRedisCache } from './redis-cache.js';
import { createRedisPubSub } from './redis-pubsub.js';

const ttlMs = 60_000;
const fast = { commandTimeoutMs: 300, connectTimeoutMs: 500, maxBackoffMs: 100 };

describeWithRedis('redis outage (a throwaway redis-server, killed and restarted)', () => {
  let server: ThrowawayRedisServer;
  let cache: CachePort;
  let instance1: PubSubPort;
  let instance2: PubSubPort;
  const statuses: BackendHealth[] = [];
  const received: string[] = [];

  beforeAll(async () => {
    server = await createThrowawayRedisServer();
    await server.start();
    cache = await createRedisCache({
      url: server.url,
      prefix: 'outage:',
      ...fast,
      onStatusChange: (health) => statuses.push(health),
    });
    instance1 = await createRedisPubSub({ url: server.url, ...fast });
    instance2 = await createRedisPubSub({ url: server.url, ...fast });
    await instance2.subscribe('events', (message) => received.push(message));
  });

  afterAll(async () => {
    await Promise.all([cache?.close(), instance1?.close(), instance2?.close()]);
    await server?.kill();
  });

  it('works while Redis is up', async () => {
    await cache.set('k', 'v', { ttlMs });
    expect(await cache.get('k')).toBe('v');
    await instance1.publish('events', 'before');
    await waitFor('the first message', () => received.includes('before'));
    expect(statuses.at(-1)).toEqual({ ok: true });
  });

  it('degrades without throwing or hanging when Redis dies', async () => {
    await server.kill();
    await waitFor('the cache to notice', async () => !(await cache.health()).ok);
    const started = Date.now();
    expect(await cache.get('k')).toBeUndefined();
    await expect(cache.set('k', 'new', { ttlMs })).resolves.toBeUndefined();
    await expect(cache.delete('k')).resolves.toBeUndefined();
    await expect(cache.deleteByPrefix('')).resolves.toBeUndefined();
    await expect(cache.incrementWindow('w', ttlMs)).rejects.toMatchObject({ code: 'backend_unavailable' });
    expect(await instance1.publish('events', 'lost')).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
    const health = await cache.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/redis cache at redis:\/\/127\.0\.0\.1:\d+/);
    expect(statuses.at(-1)?.ok).toBe(false);
    await waitFor('pub/sub to notice', async () => !(await instance2.health()).ok);
    // a subscription made during the outage is registered, and made active when Redis returns
    await instance2.subscribe('late', (message) => received.push(`late:${message}`));
  });

  it('recovers by itself when Redis returns on the same port, subscriptions included', async () => {
    await server.start();
    await waitFor('the cache to recover', async () => (await cache.health()).ok);
    await waitFor('both pub/subs to recover', async () => (await instance1.health()).ok && (await instance2.health()).ok);
    expect(statuses.at(-1)).toEqual({ ok: true });
    await waitFor('dropped writes to be flushed', async () => {
      await cache.set('k', 'after', { ttlMs });
      return (await cache.get('k')) === 'after';
    });
    expect((await cache.incrementWindow('w', ttlMs)).count).toBe(1);
    // health says ok only once every channel is subscribed again, so one publish each is enough
    await instance1.publish('events', 'after');
    await instance1.publish('late', 'after');
    await waitFor('messages after the restart', () => received.includes('after') && received.includes('late:after'));
    expect(received).toEqual(['before', 'after', 'late:after']);
  });
});
