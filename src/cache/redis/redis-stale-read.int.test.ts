import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CachePort } from '../cache-port.js';
import { describeWithRedis } from '../conformance/redis-test-gate.js';
import { createTcpCutProxy, type TcpCutProxy } from '../conformance/tcp-cut-proxy.js';
import { createThrowawayRedisServer, type ThrowawayRedisServer } from '../conformance/throwaway-redis-server.js';
import { waitFor } from '../conformance/wait-for.js';
import { createRedisCache } from './redis-cache.js';

const ttlMs = 60_000;
const fast = { commandTimeoutMs: 300, connectTimeoutMs: 500, maxBackoffMs: 100 };

describeWithRedis('redis network cut (Redis keeps its data; this instance cannot reach it)', () => {
  let server: ThrowawayRedisServer;
  let proxy: TcpCutProxy;
  let cut: CachePort;
  let other: CachePort;
  const prefix = `stale:${randomUUID()}:`;

  beforeAll(async () => {
    server = await createThrowawayRedisServer();
    await server.start();
    proxy = await createTcpCutProxy(server.port);
    cut = await createRedisCache({ url: `redis://127.0.0.1:${proxy.port}`, prefix, ...fast });
    other = await createRedisCache({ url: server.url, prefix, ...fast });
  });

  afterAll(async () => {
    await Promise.all([cut?.close(), other?.close()]);
    await proxy?.close();
    await server?.kill();
  });

  it('never serves a value whose invalidation was dropped during the cut', async () => {
    await cut.set('k', 'version 1', { ttlMs });
    await proxy.cut();
    await waitFor('the cut to show', async () => !(await cut.health()).ok);
    await cut.delete('k'); // dropped: Redis still holds "version 1"
    expect(await other.get('k')).toBe('version 1');
    await proxy.restore();
    await waitFor('the cache to recover', async () => (await cut.health()).ok);
    expect(await cut.get('k')).toBeUndefined();
    await waitFor('the namespace flush', async () => (await other.get('k')) === undefined);
  });

  it('starts degraded when Redis is unreachable, and recovers without a restart', async () => {
    await proxy.cut();
    const started = Date.now();
    const late = await createRedisCache({ url: `redis://127.0.0.1:${proxy.port}`, prefix, ...fast });
    try {
      expect(Date.now() - started).toBeLessThan(2_000);
      expect((await late.health()).ok).toBe(false);
      expect(await late.get('k')).toBeUndefined();
      await proxy.restore();
      await waitFor('the late cache to connect', async () => (await late.health()).ok);
      await late.set('k', 'v', { ttlMs });
      expect(await other.get('k')).toBe('v');
    } finally {
      await late.deleteByPrefix('');
      await late.close();
    }
  });
});
