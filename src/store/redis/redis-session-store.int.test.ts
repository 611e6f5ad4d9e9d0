import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { describeWithRedis } from '../../cache/conformance/redis-test-gate.js';
import { waitFor } from '../../cache/conformance/wait-for.js';
import { describeSessionConformance } from '../conformance/session-conformance.js';
import { RedisSessionStore } from './redis-session-store.js';

let namespaces = 0;
function prefix(): string {
  namespaces += 1;
  return `ctx-test:${process.pid}:${Date.now()}:${namespaces}:`;
}

describeWithRedis('redis sessions (CTX_TEST_REDIS_URL)', (url) => {
  describeSessionConformance({
    name: 'redis',
    checksTenants: false,
    purgesExplicitly: false,
    create: async () => {
      const sessions = await RedisSessionStore.open({ url, prefix: prefix() });
      return { sessions, createTenant: async () => {}, destroy: () => sessions.close() };
    },
  });

  describe('native TTL', () => {
    it('lets Redis remove an expired session by itself', async () => {
      const namespace = prefix();
      const sessions = await RedisSessionStore.open({ url, prefix: namespace, generationGraceMs: 1 });
      const probe = new Redis(url);
      try {
        const now = new Date().toISOString();
        const draft = {
          id: 'm1',
          role: 'user' as const,
          content: 'hi',
          metadata: {},
          tokens: { o200k_base: 1, cl100k_base: 1 },
          createdAt: now,
        };
        await sessions.append('acme', 's1', [draft], { maxMessages: 10, maxTokens: 800, ttlMs: 200 }, now);
        const keys = await probe.keys(`${namespace}*`);
        expect(keys).toHaveLength(2);
        expect(await probe.pttl(keys[0] as string)).toBeGreaterThan(0);
        await waitFor('Redis to expire the session keys', async () => (await probe.keys(`${namespace}*`)).length === 0, 10_000);
        expect(await sessions.get('acme', 's1', new Date().toISOString())).toBeUndefined();
      } finally {
        probe.disconnect();
        await sessions.close();
      }
    });
  });
});
