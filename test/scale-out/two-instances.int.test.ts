import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithRedis } from '../../src/cache/conformance/redis-test-gate.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { describePostgres } from '../../src/store/sql/postgres/postgres-test-database.js';
import { type SpawnedServer, spawnServer } from '../support/spawn-server.js';

const json = { 'content-type': 'application/json' };

async function request(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { ...json, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

/** Two server processes on one PostgreSQL database and one Redis: the scale-out deployment of issue 3. */
describePostgres('two server instances on PostgreSQL and Redis', (database) => {
  describeWithRedis('sharing one Redis', (redisUrl) => {
    let first: SpawnedServer;
    let second: SpawnedServer;
    let observer: Engine;

    beforeAll(async () => {
      const env = { CTX_DATABASE_URL: database.url, CTX_REDIS_URL: redisUrl, CTX_RATE_LIMIT_MAX: '1000000' };
      [first, second] = await Promise.all([spawnServer(env), spawnServer(env)]);
      // A third instance, in this process, whose bus hears what the servers' buses emit.
      observer = await createEngine({ databaseUrl: database.url, redisUrl });
    }, 60_000);
    afterAll(async () => {
      await Promise.all([first?.stop(), second?.stop(), observer?.close()]);
    });

    it('reads through one instance what was written through the other, at once', async () => {
      expect((await request(first.base, 'POST', '/v1/tenants', { id: 'scale' })).status).toBe(201);
      expect((await request(second.base, 'GET', '/v1/tenants/scale')).status).toBe(200);
      const written = await request(first.base, 'PUT', '/v1/tenants/scale/contexts/doc', { value: { n: 1 } });
      expect(written.status).toBe(201);
      const read = await request(second.base, 'GET', '/v1/tenants/scale/contexts/doc');
      expect(read.body).toMatchObject({ version: 1, value: { n: 1 } });
    });

    it('delivers an approval made on one instance to a bus subscriber on another', async () => {
      const heard: string[] = [];
      const off = observer.bus.on('update.approved', ({ update }) => {
        heard.push(update.id);
      });
      const pending = await request(second.base, 'PUT', '/v1/tenants/scale/contexts/review', {
        value: 'needs eyes',
        source: 'human_upload',
      });
      expect(pending.status).toBe(202);
      const approved = await request(first.base, 'POST', `/v1/tenants/scale/updates/${pending.body.updateId}/approve`, {
        by: 'r',
      });
      expect(approved.status).toBe(200);
      for (let attempt = 0; attempt < 100 && !heard.includes(pending.body.updateId); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      off();
      expect(heard).toEqual([pending.body.updateId]);
    });

    it('loses and duplicates nothing among 1,000 concurrent conditional writes spread over both', async () => {
      const keys = Array.from({ length: 20 }, (_, index) => `load/k${index}`);
      for (const key of keys)
        expect(
          (await request(first.base, 'PUT', `/v1/tenants/scale/contexts/${key}`, { value: { marker: 'seed' } })).status,
        ).toBe(201);
      const acknowledged = new Map<string, string[]>(keys.map((key) => [key, []]));
      let next = 0;
      const workers = Array.from({ length: 40 }, async (_, worker) => {
        while (next < 1000) {
          const index = next++;
          const key = keys[index % keys.length] as string;
          const marker = `w${worker}-${index}`;
          for (;;) {
            const base = (index + worker) % 2 === 0 ? first.base : second.base;
            const current = await request(base, 'GET', `/v1/tenants/scale/contexts/${key}`);
            const answer = await request(
              base,
              'PUT',
              `/v1/tenants/scale/contexts/${key}`,
              { value: { marker } },
              { 'if-match': `"${current.body.version}"` },
            );
            if (answer.status === 201) {
              acknowledged.get(key)?.push(marker);
              break;
            }
            expect(answer.status, JSON.stringify(answer.body)).toBe(412);
          }
        }
      });
      await Promise.all(workers);
      for (const key of keys) {
        const history = [];
        let cursor: string | undefined;
        do {
          const page = await request(
            second.base,
            'GET',
            `/v1/tenants/scale/contexts/${key}/versions?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
          );
          history.push(...page.body.items);
          cursor = page.body.nextCursor;
        } while (cursor);
        expect(history.map((version: { version: number }) => version.version)).toEqual(
          history.map((_: unknown, index: number) => index + 1),
        );
        expect(history.map((version: { parentVersion: number | null }) => version.parentVersion)).toEqual(
          history.map((_: unknown, index: number) => (index === 0 ? null : index)),
        );
        const markers = history.slice(1).map((version: { value: { marker: string } }) => version.value.marker);
        expect(markers.sort()).toEqual([...(acknowledged.get(key) ?? [])].sort());
      }
      expect([...acknowledged.values()].reduce((sum, markers) => sum + markers.length, 0)).toBe(1000);
    }, 180_000);
  });
});
