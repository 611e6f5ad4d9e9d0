import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithRedis } from '../cache/conformance/redis-test-gate.js';
import { createThrowawayRedisServer, type ThrowawayRedisServer } from '../cache/conformance/throwaway-redis-server.js';
import { createEngine, type Engine } from '../engine.js';
import { createServer } from './create-server.js';

async function serverOn(redisUrl: string, databaseUrl = 'memory:', rateLimitMax = 1_000_000) {
  const engine = await createEngine({
    databaseUrl,
    redisUrl,
    server: { logLevel: 'silent', rateLimit: { max: rateLimitMax, windowMs: 60_000 } },
  });
  const app = await createServer(engine);
  return { engine, app };
}

describeWithRedis('the server with Redis', (sharedRedisUrl) => {
  describe('when Redis goes down and comes back', () => {
    let redis: ThrowawayRedisServer;
    let engine: Engine;
    let app: Awaited<ReturnType<typeof createServer>>;

    beforeAll(async () => {
      redis = await createThrowawayRedisServer();
      await redis.start();
      ({ engine, app } = await serverOn(redis.url));
      await engine.tenants.create({ id: 'acme' });
    });
    afterAll(async () => {
      await app.close();
      await engine.close();
      await redis.kill();
    });

    async function healthUntil(status: string) {
      let health = (await app.inject({ method: 'GET', url: '/health' })).json();
      for (let attempt = 0; attempt < 100 && health.status !== status; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        health = (await app.inject({ method: 'GET', url: '/health' })).json();
      }
      return health;
    }

    it('stays correct, reports degraded, and recovers by itself', async () => {
      expect(await healthUntil('ok')).toMatchObject({ status: 'ok', cache: { ok: true }, events: { ok: true } });
      await redis.kill();
      const put = await app.inject({
        method: 'PUT',
        url: '/v1/tenants/acme/contexts/k',
        payload: { value: { during: 'outage' } },
      });
      expect(put.statusCode).toBe(201);
      const get = await app.inject({ method: 'GET', url: '/v1/tenants/acme/contexts/k' });
      expect(get.json()).toMatchObject({ version: 1, value: { during: 'outage' } });
      const degraded = await healthUntil('degraded');
      expect(degraded).toMatchObject({ status: 'degraded', store: { ok: true } });
      expect(degraded.cache.ok && degraded.events.ok).toBe(false);
      expect(JSON.stringify(degraded)).not.toContain(String(redis.port));
      await redis.start();
      expect(await healthUntil('ok')).toMatchObject({ status: 'ok', cache: { ok: true }, events: { ok: true } });
    }, 30_000);
  });

  it('keeps every answer correct while Redis is killed and restarted under load', async () => {
    const redis = await createThrowawayRedisServer();
    await redis.start();
    const { engine, app } = await serverOn(redis.url);
    try {
      await engine.tenants.create({ id: 'load' });
      const acknowledged = new Map<string, number>();
      const failures: string[] = [];
      let stop = false;
      const workers = Array.from({ length: 6 }, async (_, worker) => {
        for (let index = 0; !stop; index++) {
          const key = `w${worker}/k${index % 5}`;
          const put = await app.inject({ method: 'PUT', url: `/v1/tenants/load/contexts/${key}`, payload: { value: { index } } });
          if (put.statusCode !== 201 && put.statusCode !== 200) failures.push(`PUT ${put.statusCode} ${put.body}`);
          else acknowledged.set(key, index);
          const get = await app.inject({ method: 'GET', url: `/v1/tenants/load/contexts/${key}` });
          if (get.statusCode !== 200 || get.json().value.index !== index) failures.push(`GET ${get.statusCode} ${get.body}`);
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await redis.kill();
      await new Promise((resolve) => setTimeout(resolve, 700));
      await redis.start();
      await new Promise((resolve) => setTimeout(resolve, 500));
      stop = true;
      await Promise.all(workers);
      expect(failures).toEqual([]);
      expect(acknowledged.size).toBe(30);
      for (const [key, index] of acknowledged) {
        expect((await engine.contexts.get('load', key)).value).toEqual({ index });
      }
    } finally {
      await app.close();
      await engine.close();
      await redis.kill();
    }
  }, 30_000);

  it('shares one rate-limit budget between two instances', async () => {
    // Both instances see the same client (open mode: keyed by IP) through the same Redis windows.
    const one = await serverOn(sharedRedisUrl, 'memory:', 5);
    const two = await serverOn(sharedRedisUrl, 'memory:', 5);
    try {
      const statuses: number[] = [];
      // A fresh remote address per run keeps runs from sharing a window.
      const remoteAddress = `127.0.0.${2 + Math.floor(Math.random() * 250)}`;
      for (let index = 0; index < 8; index++) {
        const app = index % 2 === 0 ? one.app : two.app;
        statuses.push((await app.inject({ method: 'GET', url: '/v1/tenants', remoteAddress })).statusCode);
      }
      expect(statuses.filter((status) => status === 200)).toHaveLength(5);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
    } finally {
      await Promise.all([one.app.close(), two.app.close()]);
      await Promise.all([one.engine.close(), two.engine.close()]);
    }
  });
});
