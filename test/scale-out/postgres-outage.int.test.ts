import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePostgres } from '../../src/store/sql/postgres/postgres-test-database.js';
import { type SpawnedServer, spawnServer } from '../support/spawn-server.js';

/**
 * PostgreSQL connections cut under HTTP load (pg_terminate_backend, as a failover or an administrator would):
 * requests answer 503 problem+json — never 404 or a wrong value — the server recovers by itself, and every
 * write it acknowledged is there afterwards.
 */
describePostgres('a server whose PostgreSQL connections are cut mid-load', (database) => {
  let server: SpawnedServer;

  beforeAll(async () => {
    server = await spawnServer({ CTX_DATABASE_URL: database.url, CTX_RATE_LIMIT_MAX: '1000000' });
    const created = await fetch(`${server.base}/v1/tenants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'outage' }),
    });
    expect(created.status).toBe(201);
  }, 60_000);
  afterAll(() => server?.stop());

  it('answers 503 while cut off, recovers by itself, and keeps every acknowledged write', async () => {
    const acknowledged = new Map<string, number>();
    const statuses = new Map<number, number>();
    let stop = false;
    let counter = 0;
    const writers = Array.from({ length: 8 }, async (_, writer) => {
      while (!stop) {
        const key = `w${writer}/k${counter++ % 20}`;
        const response = await fetch(`${server.base}/v1/tenants/outage/contexts/${key}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ value: { counter } }),
        });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const body = (await response.json()) as { version?: number; type?: string };
        if (response.status === 201) acknowledged.set(key, Math.max(acknowledged.get(key) ?? 0, body.version ?? 0));
        else expect(response.status, JSON.stringify(body)).toBe(503);
      }
    });
    for (let round = 0; round < 3; round++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await database.terminateConnections();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    stop = true;
    await Promise.all(writers);
    expect(statuses.get(201) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(503) ?? 0, 'the outage was observed').toBeGreaterThan(0);
    // Recovered by itself: every acknowledged write reads back at (at least) its acknowledged version.
    for (const [key, version] of acknowledged) {
      const response = await fetch(`${server.base}/v1/tenants/outage/contexts/${key}`);
      expect(response.status, key).toBe(200);
      expect(((await response.json()) as { version: number }).version).toBeGreaterThanOrEqual(version);
    }
    const health = await fetch(`${server.base}/health`);
    expect(health.status).toBe(200);
  }, 60_000);
});
