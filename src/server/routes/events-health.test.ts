import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServerHarness, type ServerHarness } from '../testing/server-harness.js';

/** A reference of the same shape that names nothing (its hash zeroed). */
function unknownLike(ref: string): string {
  return ref.replace(/[0-9a-f]{24}$/, '0'.repeat(24));
}

/** A harness over a real SQLite file in a temp directory, with the tenant `acme`. */
async function sqliteHarness(directory: string): Promise<ServerHarness> {
  const opened = await createServerHarness({ databaseUrl: `sqlite:${join(directory, 'context.db')}` });
  await opened.engine.tenants.create({ id: 'acme' });
  return opened;
}

describe('GET …/context/stats hit rates', () => {
  it('are the hot, cold and missing resolutions over all of them', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ctx-hit-rates-'));
    try {
      // a restart over the same file: the first process's event is in the cold tier only
      const first = await sqliteHarness(directory);
      const old = (await first.call('POST', '/v1/tenants/acme/events', { body: { event: 'order.placed' } })).json() as {
        ref: string;
      };
      await first.close();
      const second = await createServerHarness({ databaseUrl: `sqlite:${join(directory, 'context.db')}` });
      try {
        const recent = (await second.call('POST', '/v1/tenants/acme/events', { body: { event: 'order.checked' } })).json() as {
          ref: string;
        };
        const resolve = async (ref: string) =>
          (await second.call('POST', '/v1/tenants/acme/context/resolve', { body: { ref } })).statusCode;
        for (let index = 0; index < 3; index += 1) expect(await resolve(recent.ref)).toBe(200);
        expect(await resolve(old.ref)).toBe(200);
        expect(await resolve(unknownLike(old.ref))).toBe(404);
        const stats = async () => (await second.call('GET', '/v1/tenants/acme/context/stats')).json();
        expect(await stats()).toMatchObject({
          resolutions: { hot: 3, cold: 1, missing: 1 },
          hitRates: { hot: 0.6, cold: 0.2, missing: 0.2 },
        });
        const batch = await second.call('POST', '/v1/tenants/acme/context/resolve_batch', {
          body: { refs: [recent.ref, old.ref, unknownLike(recent.ref)] },
        });
        expect(Object.values((batch.json() as { contexts: object }).contexts).map((context) => context !== null)).toEqual([
          true,
          true,
          false,
        ]);
        expect(await stats()).toMatchObject({
          resolutions: { hot: 4, cold: 2, missing: 2 },
          hitRates: { hot: 0.5, cold: 0.25, missing: 0.25 },
        });
      } finally {
        await second.close();
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('GET …/context/health when the cold tier fails', () => {
  let directory: string;
  let sqlite: ServerHarness;
  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'ctx-event-health-'));
    sqlite = await sqliteHarness(directory);
  });
  afterEach(async () => {
    await sqlite.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('is degraded (200) while writes fail with events waiting, and ok once they are written', async () => {
    const health = async () => {
      const response = await sqlite.call('GET', '/v1/tenants/acme/context/health');
      return { status: response.statusCode, body: response.json() as { status: string; cold: Record<string, unknown> } };
    };
    expect((await health()).body.status).toBe('ok');
    // a real SQLite error on every insert into the cold tier, from another connection; reads still work
    const connection = new Database(join(directory, 'context.db'));
    connection.exec("CREATE TRIGGER refuse BEFORE INSERT ON event_contexts BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    const acknowledged = await sqlite.call('POST', '/v1/tenants/acme/events', { body: { event: 'a.b', data: 1 } });
    expect(acknowledged.statusCode).toBe(503);
    expect((acknowledged.json() as { code: string }).code).toBe('backend_unavailable');
    const buffered = await sqlite.call('POST', '/v1/tenants/acme/events', {
      body: { event: 'a.b', data: 2, durability: 'buffered' },
    });
    expect(buffered.statusCode).toBe(201);
    // a query flushes the cold writer first: that write fails too
    expect((await sqlite.call('POST', '/v1/tenants/acme/context/query', { body: { eventName: 'a.b' } })).json()).toEqual({
      items: [],
    });
    const degraded = await health();
    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({ status: 'degraded', cold: { ok: true, backend: 'sqlite' } });
    expect(degraded.body.cold.pending).toBeGreaterThanOrEqual(2);
    expect(degraded.body.cold.failedWrites).toBeGreaterThanOrEqual(2);
    expect(degraded.body.cold).not.toHaveProperty('lastError');

    connection.exec('DROP TRIGGER refuse');
    connection.close();
    // the records were kept for the next attempt: both are written now (the one answered 503 included)
    const query = await sqlite.call('POST', '/v1/tenants/acme/context/query', { body: { eventName: 'a.b' } });
    expect((query.json() as { items: { data: unknown }[] }).items.map((item) => item.data).sort()).toEqual([1, 2]);
    expect((await health()).body).toMatchObject({ status: 'ok', cold: { pending: 0 } });
  });

  it('is down once the database is closed: 503 on every prefix', async () => {
    await sqlite.engine.store.close();
    const health = await sqlite.engine.events.health();
    expect(health).toMatchObject({
      status: 'down',
      cold: { ok: false, backend: 'sqlite', detail: 'The SQLite database is closed.' },
    });
    // Over HTTP the request is refused before the health handler runs: authentication reads the store (the key
    // count, the tenant) once its one-second caches are cold, so the answer is the problem, not the health body.
    for (const url of ['/v1/tenants/acme/context/health', '/v1/context/health?tenant=acme', '/api/context/health?tenant=acme']) {
      const response = await sqlite.call('GET', url);
      expect(response.statusCode, url).toBe(503);
      expect(response.headers['content-type'], url).toContain('application/problem+json');
      expect(response.json(), url).toMatchObject({ code: 'backend_unavailable', detail: 'The SQLite database is closed.' });
    }
  });
});
