import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServerHarness, type ServerHarness } from '../testing/server-harness.js';

let h: ServerHarness;
let admin: string;
let directory: string;
const K = '/v1/tenants/acme/knowledge';

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'ctx-knowledge-http-'));
  h = await createServerHarness({ databaseUrl: `sqlite:${join(directory, 'context.db')}` });
  admin = await h.key('admin', null);
  for (const id of ['acme', 'globex'])
    expect((await h.call('POST', '/v1/tenants', { token: admin, body: { id } })).statusCode).toBe(201);
});
afterEach(async () => {
  await h.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('knowledge routes', () => {
  it('adds, searches in each mode with filters, and deletes', async () => {
    const added = await h.call('POST', K, {
      token: admin,
      body: {
        items: [
          { id: 'tiers', text: 'Pricing tiers: starter, growth, enterprise.', metadata: { topic: 'pricing', year: 2025 } },
          { id: 'ship', text: 'Suppliers ship within ten days.', milestone: 'M3', createdAt: '2025-01-15T10:00:00Z' },
        ],
      },
    });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toEqual({
      items: [expect.objectContaining({ id: 'tiers', chunks: 1 }), expect.objectContaining({ id: 'ship', chunks: 1 })],
      generation: 1,
    });

    for (const mode of ['hybrid', 'lexical', 'vector']) {
      const found = await h.call('POST', `${K}/search`, { token: admin, body: { query: 'pricing tiers', mode, topK: 1 } });
      expect(found.statusCode).toBe(200);
      expect(found.json().results).toEqual([
        expect.objectContaining({
          id: 'tiers',
          text: 'Pricing tiers: starter, growth, enterprise.',
          metadata: { topic: 'pricing', year: 2025 },
        }),
      ]);
    }
    const filtered = await h.call('POST', `${K}/search`, {
      token: admin,
      body: { query: 'suppliers pricing', filter: { milestone: 'M3', createdAt: { lt: '2025-02-01' } } },
    });
    expect(filtered.json().results.map((r: { id: string }) => r.id)).toEqual(['ship']);
    expect(filtered.json().results[0]).toMatchObject({
      milestone: 'M3',
      createdAt: '2025-01-15T10:00:00.000Z',
      chunkId: 'ship#0',
    });

    const removed = await h.call('DELETE', `${K}/ship`, { token: admin });
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toEqual({ id: 'ship', removed: 1, generation: 2 });
    const again = await h.call('DELETE', `${K}/ship`, { token: admin });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ code: 'knowledge_item_not_found' });
  });

  it('answers bad input with problem+json and changes nothing', async () => {
    const cases = [
      { body: { items: [] }, detail: /items/ },
      { body: { items: [{ text: 'ok' }, { text: '' }] }, detail: /text/ },
      { body: { items: [{ text: 'x', extra: 1 }] }, detail: /extra|Unrecognized/ },
    ];
    for (const { body, detail } of cases) {
      const response = await h.call('POST', K, { token: admin, body });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().detail).toMatch(detail);
    }
    const badFilter = await h.call('POST', `${K}/search`, {
      token: admin,
      body: { query: 'x', filter: { price: { gt: 'later' } } },
    });
    expect(badFilter.statusCode).toBe(400);
    expect(badFilter.json()).toMatchObject({ code: 'invalid_filter' });
    expect(badFilter.json().detail).toMatch(/price: gt must be a number or an ISO-8601 date/);
    expect(await h.engine.knowledge.generation('acme')).toBe(0);
  });

  it('keeps tenants apart and checks roles', async () => {
    await h.call('POST', K, { token: admin, body: { items: [{ id: 'secret', text: 'acme merger plans' }] } });
    const globexWriter = await h.key('writer', 'globex');
    const acmeReader = await h.key('reader', 'acme');
    expect((await h.call('POST', `${K}/search`, { token: globexWriter, body: { query: 'merger' } })).statusCode).toBe(404);
    expect((await h.call('DELETE', `${K}/secret`, { token: globexWriter })).statusCode).toBe(404);
    const own = await h.call('POST', '/v1/tenants/globex/knowledge/search', { token: globexWriter, body: { query: 'merger' } });
    expect(own.json()).toEqual({ results: [] });
    const read = await h.call('POST', `${K}/search`, { token: acmeReader, body: { query: 'merger' } });
    expect(read.json().results.map((r: { id: string }) => r.id)).toEqual(['secret']);
    expect((await h.call('POST', K, { token: acmeReader, body: { items: [{ text: 'x' }] } })).statusCode).toBe(403);
    expect((await h.call('DELETE', `${K}/secret`, { token: acmeReader })).statusCode).toBe(403);
  });

  it('publishes the routes in the OpenAPI document', async () => {
    const paths = Object.keys((await h.call('GET', '/openapi.json')).json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/v1/tenants/{tenant}/knowledge',
        '/v1/tenants/{tenant}/knowledge/search',
        '/v1/tenants/{tenant}/knowledge/{id}',
      ]),
    );
  });
});
