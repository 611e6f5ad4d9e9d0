import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../core/json.js';
import type { KnowledgeFilterClause, KnowledgeHit, KnowledgeItemRecord } from '../knowledge-store.js';
import type { Store } from '../store.js';
import { type StoreConformanceOptions, useFreshStore } from './conformance-options.js';
import { expectError, makeTenant } from './fixtures.js';

const EMBEDDER = 'test:4';

function unit(values: number[]): Float32Array {
  const length = Math.hypot(...values);
  return Float32Array.from(values.map((value) => (length === 0 ? 0 : value / length)));
}

interface ItemSpec {
  text?: string;
  terms?: string[];
  vector?: number[];
  chunks?: { text: string; terms: string[]; vector?: number[] }[];
  metadata?: JsonObject;
  milestone?: string | null;
  createdAt?: string;
  embedder?: string;
}

function item(id: string, spec: ItemSpec = {}): KnowledgeItemRecord {
  const chunks = spec.chunks ?? [{ text: spec.text ?? id, terms: spec.terms ?? [], vector: spec.vector }];
  return {
    id,
    metadata: spec.metadata ?? {},
    milestone: spec.milestone ?? null,
    createdAt: spec.createdAt ?? '2025-01-15T12:00:00.000Z',
    embedder: spec.embedder ?? EMBEDDER,
    chunks: chunks.map((chunk, index) => ({
      index,
      text: chunk.text,
      tokens: { o200k_base: chunk.text.split(' ').length, cl100k_base: chunk.text.split(' ').length + 1 },
      terms: chunk.terms,
      embedding: unit(chunk.vector ?? [1, 0, 0, 0]),
    })),
  };
}

const ids = (hits: KnowledgeHit[]) => hits.map((hit) => hit.itemId);

async function lexical(store: Store, tenantId: string, terms: string[], filter: KnowledgeFilterClause[] = [], limit = 10) {
  return store.knowledge.lexicalSearch(tenantId, { terms, limit, filter });
}

async function vector(store: Store, tenantId: string, values: number[], filter: KnowledgeFilterClause[] = [], limit = 10) {
  return store.knowledge.vectorSearch(tenantId, { embedding: unit(values), embedder: EMBEDDER, limit, filter });
}

const meta = (key: string) => ({ kind: 'metadata' as const, key });

/** The one suite every KnowledgeStore backend passes. */
export function describeKnowledgeConformance(options: StoreConformanceOptions): void {
  describe(`${options.name} knowledge store conformance`, () => {
    const store = useFreshStore(options);
    const setup = async (...tenants: string[]) => {
      for (const tenant of tenants) await store().tenants.create(makeTenant(tenant));
    };

    it('stores items, ranks lexical matches by BM25 and returns their fields', async () => {
      await setup('acme');
      const result = await store().knowledge.put('acme', [
        item('pricing', { text: 'pricing tiers pricing', terms: ['pricing', 'tier', 'pricing'], metadata: { kind: 'doc' } }),
        item('long', {
          text: 'a long note that mentions pricing once',
          terms: ['long', 'note', 'mention', 'pricing', 'once', 'filler', 'filler', 'filler'],
          milestone: 'M2',
        }),
        item('other', { terms: ['supplier', 'list'] }),
        item('other2', { terms: ['benchmark', 'report'] }),
        item('other3', { terms: ['market', 'size'] }),
      ]);
      expect(result.generation).toBe(1);
      const hits = await lexical(store(), 'acme', ['pricing']);
      expect(ids(hits)).toEqual(['pricing', 'long']);
      expect(hits[0]).toMatchObject({
        itemId: 'pricing',
        chunkIndex: 0,
        text: 'pricing tiers pricing',
        tokens: { o200k_base: 3, cl100k_base: 4 },
        metadata: { kind: 'doc' },
        milestone: null,
        createdAt: '2025-01-15T12:00:00.000Z',
      });
      expect(hits[1]?.milestone).toBe('M2');
      for (const hit of hits) expect(hit.score).toBeGreaterThan(0);
      for (const hit of hits) expect(hit.score).toBeLessThanOrEqual(1);
      expect((hits[0]?.score ?? 0) > (hits[1]?.score ?? 0)).toBe(true);
      // A chunk with more of the query's terms ranks first; unknown terms match nothing.
      expect(ids(await lexical(store(), 'acme', ['supplier', 'list', 'pricing']))[0]).toBe('other');
      expect(await lexical(store(), 'acme', ['unknown'])).toEqual([]);
      expect(await lexical(store(), 'acme', [])).toEqual([]);
      expect(await store().knowledge.stats('acme')).toEqual({ items: 5, chunks: 5, generation: 1 });
    });

    it('honours the limit and breaks ties by item id, then chunk', async () => {
      await setup('acme');
      await store().knowledge.put('acme', [
        item('b', { terms: ['same'] }),
        item('a', {
          chunks: [
            { text: 'one', terms: ['same'] },
            { text: 'two', terms: ['same'] },
          ],
        }),
        item('c', { terms: ['other'] }),
        item('d', { terms: ['other'] }),
        item('e', { terms: ['other'] }),
      ]);
      const hits = await lexical(store(), 'acme', ['same']);
      expect(hits.map((hit) => [hit.itemId, hit.chunkIndex])).toEqual([
        ['a', 0],
        ['a', 1],
        ['b', 0],
      ]);
      expect((await lexical(store(), 'acme', ['same'], [], 2)).length).toBe(2);
      expect((await vector(store(), 'acme', [1, 0, 0, 0], [], 3)).map((hit) => hit.itemId)).toEqual(['a', 'a', 'b']);
    });

    it('ranks vectors by exact cosine similarity among the same embedder only', async () => {
      await setup('acme');
      await store().knowledge.put('acme', [
        item('x', { vector: [1, 0, 0, 0] }),
        item('xy', { vector: [1, 1, 0, 0] }),
        item('y', { vector: [0, 1, 0, 0] }),
        item('minus', { vector: [-1, 0, 0, 0] }),
        item('foreign', { vector: [1, 0, 0, 0], embedder: 'other:4' }),
        item('zero', { vector: [0, 0, 0, 0] }),
      ]);
      const hits = await vector(store(), 'acme', [1, 0.2, 0, 0]);
      expect(ids(hits)).toEqual(['x', 'xy', 'y', 'minus']);
      expect(ids(hits)).not.toContain('foreign');
      expect(hits[0]?.score).toBeCloseTo(1 / Math.hypot(1, 0.2), 4);
      expect(hits[3]?.score).toBeCloseTo(-1 / Math.hypot(1, 0.2), 4);
      expect(ids(await vector(store(), 'acme', [0, 1, 0, 0], [], 1))).toEqual(['y']);
    });

    it('replaces an item written again under the same id, and removes items', async () => {
      await setup('acme');
      await store().knowledge.put('acme', [
        item('doc', {
          chunks: [
            { text: 'old one', terms: ['old'] },
            { text: 'old two', terms: ['old'] },
          ],
        }),
        item('keep', { terms: ['keep'] }),
      ]);
      const second = await store().knowledge.put('acme', [item('doc', { text: 'new', terms: ['new'] })]);
      expect(second.generation).toBe(2);
      expect(await lexical(store(), 'acme', ['old'])).toEqual([]);
      expect(ids(await lexical(store(), 'acme', ['new']))).toEqual(['doc']);
      expect(await store().knowledge.stats('acme')).toEqual({ items: 2, chunks: 2, generation: 2 });

      expect(await store().knowledge.remove('acme', 'doc')).toEqual({ removed: 1, generation: 3 });
      expect(await lexical(store(), 'acme', ['new'])).toEqual([]);
      expect(ids(await vector(store(), 'acme', [1, 0, 0, 0]))).toEqual(['keep']);
      expect(await store().knowledge.remove('acme', 'doc')).toEqual({ removed: 0, generation: 3 });
      expect(await store().knowledge.generation('acme')).toBe(3);
      expect(await store().knowledge.stats('acme')).toEqual({ items: 1, chunks: 1, generation: 3 });
    });

    it('filters on metadata equality, in, number and date ranges, milestone and createdAt', async () => {
      await setup('acme');
      await store().knowledge.put('acme', [
        item('a', {
          terms: ['topic'],
          metadata: { region: 'eu', price: 10, flag: true, published: '2025-01-10', n: '1' },
          milestone: 'M1',
          createdAt: '2025-01-01T00:00:00.000Z',
        }),
        item('b', {
          terms: ['topic'],
          metadata: { region: 'us', price: 25.5, flag: false, published: '2025-02-01T10:00:00Z', n: 1 },
          milestone: 'M2',
          createdAt: '2025-02-01T00:00:00.000Z',
        }),
        item('c', {
          terms: ['topic'],
          metadata: { region: 'apac', price: '30', published: 'not a date' },
          createdAt: '2025-03-01T00:00:00.000Z',
        }),
        item('d', { terms: ['unrelated'] }),
        item('e', { terms: ['unrelated'] }),
      ]);
      const check = async (filter: KnowledgeFilterClause[], expected: string[]) => {
        expect(ids(await lexical(store(), 'acme', ['topic'], filter)).sort(), JSON.stringify(filter)).toEqual(expected);
        expect(ids(await vector(store(), 'acme', [1, 0, 0, 0], filter)).sort(), JSON.stringify(filter)).toEqual(
          expected.length === 0 && filter.length === 0 ? ['a', 'b', 'c', 'd', 'e'] : expected,
        );
      };
      await check([{ field: meta('region'), op: 'eq', value: 'eu' }], ['a']);
      await check([{ field: meta('region'), op: 'in', values: ['eu', 'apac', 'nowhere'] }], ['a', 'c']);
      await check([{ field: meta('flag'), op: 'eq', value: true }], ['a']);
      await check([{ field: meta('flag'), op: 'eq', value: false }], ['b']);
      // JSON types stay apart: 1 is not "1", true is not 1.
      await check([{ field: meta('n'), op: 'eq', value: 1 }], ['b']);
      await check([{ field: meta('n'), op: 'eq', value: '1' }], ['a']);
      await check([{ field: meta('flag'), op: 'eq', value: 1 }], []);
      await check([{ field: meta('price'), op: 'gte', type: 'number', value: 10 }], ['a', 'b']);
      await check(
        [
          { field: meta('price'), op: 'gt', type: 'number', value: 10 },
          { field: meta('price'), op: 'lt', type: 'number', value: 100 },
        ],
        ['b'],
      );
      const february = Date.parse('2025-02-01T00:00:00Z');
      await check(
        [{ field: meta('published'), op: 'gte', type: 'date', epochMs: february, iso: '2025-02-01T00:00:00.000Z' }],
        ['b'],
      );
      await check(
        [{ field: meta('published'), op: 'lt', type: 'date', epochMs: february, iso: '2025-02-01T00:00:00.000Z' }],
        ['a'],
      );
      await check([{ field: { kind: 'milestone' }, op: 'eq', value: 'M2' }], ['b']);
      await check([{ field: { kind: 'milestone' }, op: 'in', values: ['M1', 'M2'] }], ['a', 'b']);
      await check(
        [{ field: { kind: 'createdAt' }, op: 'gte', type: 'date', epochMs: february, iso: '2025-02-01T00:00:00.000Z' }],
        ['b', 'c'],
      );
      await check([{ field: { kind: 'createdAt' }, op: 'eq', value: '2025-03-01T00:00:00.000Z' }], ['c']);
      await check([{ field: meta('missing'), op: 'eq', value: 'x' }], []);
      await check(
        [
          { field: meta('region'), op: 'in', values: ['eu', 'us'] },
          { field: { kind: 'milestone' }, op: 'eq', value: 'M2' },
        ],
        ['b'],
      );
    });

    it("never shows one tenant's knowledge through another tenant", async () => {
      await setup('acme', 'globex');
      await store().knowledge.put('acme', [
        item('secret', { terms: ['merger'], vector: [1, 0, 0, 0] }),
        item('x', { terms: ['x'] }),
      ]);
      await store().knowledge.put('globex', [item('public', { terms: ['weather'], vector: [0, 1, 0, 0] })]);
      expect(await lexical(store(), 'globex', ['merger'])).toEqual([]);
      expect(ids(await vector(store(), 'globex', [1, 0, 0, 0]))).toEqual(['public']);
      expect(await store().knowledge.remove('globex', 'secret')).toEqual({ removed: 0, generation: 1 });
      expect(ids(await lexical(store(), 'acme', ['merger']))).toEqual(['secret']);
      expect(await store().knowledge.generation('acme')).toBe(1);
      expect(await store().knowledge.generation('nobody')).toBe(0);
      expect(await store().knowledge.stats('globex')).toEqual({ items: 1, chunks: 1, generation: 1 });
      // The same item id in two tenants: two items.
      await store().knowledge.put('globex', [item('secret', { terms: ['picnic'] })]);
      expect(ids(await lexical(store(), 'acme', ['merger']))).toEqual(['secret']);
      expect(await lexical(store(), 'acme', ['picnic'])).toEqual([]);
      await expectError(store().knowledge.put('nobody', [item('x')]), 'NotFoundError', 'tenant_not_found');
    });

    it('loses no write under concurrent writers, and a replaced item is never a mixture', async () => {
      await setup('acme');
      const writes = Array.from({ length: 20 }, (_, index) =>
        store().knowledge.put('acme', [item(`item-${index}`, { terms: ['shared', `own${index}`] })]),
      );
      const generations = (await Promise.all(writes)).map((result) => result.generation).sort((a, b) => a - b);
      expect(generations).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
      expect((await lexical(store(), 'acme', ['shared'], [], 100)).length).toBe(20);

      const versions = Array.from({ length: 10 }, (_, version) =>
        store().knowledge.put('acme', [
          item('contested', {
            chunks: Array.from({ length: version + 1 }, (_, index) => ({
              text: `v${version} part ${index}`,
              terms: [`v${version}`, 'contested'],
            })),
          }),
        ]),
      );
      await Promise.all(versions);
      const hits = await lexical(store(), 'acme', ['contested'], [], 100);
      const texts = new Set(hits.map((hit) => hit.text.split(' ')[0]));
      expect(texts.size).toBe(1);
      const version = Number([...texts][0]?.slice(1));
      expect(hits.length).toBe(version + 1);
      expect(await store().knowledge.stats('acme')).toEqual({ items: 21, chunks: 20 + version + 1, generation: 30 });
    });
  });
}
