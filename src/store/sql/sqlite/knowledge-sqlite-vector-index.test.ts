import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTenant } from '../../conformance/fixtures.js';
import type { KnowledgeItemRecord } from '../../knowledge-store.js';
import type { Store } from '../../store.js';
import { createSqliteStore, type VectorIndexOptions } from './create-sqlite-store.js';

const DIMENSIONS = 16;
const EMBEDDER = 'test:16';

/** Deterministic pseudo-random unit vectors (mulberry32). */
function vectors(seed: number, count: number): Float32Array[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return Array.from({ length: count }, () => {
    const vector = Float32Array.from({ length: DIMENSIONS }, random);
    const length = Math.hypot(...vector);
    return vector.map((value) => value / length);
  });
}

function items(prefix: string, embeddings: readonly Float32Array[]): KnowledgeItemRecord[] {
  return embeddings.map((embedding, index) => ({
    id: `${prefix}-${index}`,
    metadata: { even: index % 2 === 0 },
    milestone: null,
    createdAt: '2025-01-15T12:00:00.000Z',
    embedder: EMBEDDER,
    chunks: [{ index: 0, text: `${prefix} ${index}`, tokens: { o200k_base: 2, cl100k_base: 2 }, terms: [prefix], embedding }],
  }));
}

const INDEXED: VectorIndexOptions = { minChunks: 50 };

describe('SQLite approximate vector index (usearch HNSW)', () => {
  let directory: string;
  let path: string;
  const open: Store[] = [];
  const openStore = async (vectorIndex: VectorIndexOptions | false = INDEXED) => {
    const store = await createSqliteStore({ path, vectorIndex });
    open.push(store);
    return store;
  };
  const closeStore = async (store: Store) => {
    open.splice(open.indexOf(store), 1);
    await store.close();
  };
  const search = async (store: Store, tenantId: string, embedding: Float32Array, limit = 10, even?: boolean) =>
    (
      await store.knowledge.vectorSearch(tenantId, {
        embedding,
        embedder: EMBEDDER,
        limit,
        filter: even === undefined ? [] : [{ field: { kind: 'metadata', key: 'even' }, op: 'eq', value: even }],
      })
    ).map((hit) => hit.itemId);

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'ctx-vector-index-'));
    path = join(directory, 'context.db');
  });
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /**
   * An indexed store and an exact one on the same file, tenants acme and globex holding the very same 400 vectors
   * (an index that leaked across tenants would return globex's), both indexes ready.
   */
  const openTwoTenants = async () => {
    const store = await openStore();
    const exact = await openStore(false);
    await store.tenants.create(makeTenant('acme'));
    await store.tenants.create(makeTenant('globex'));
    await store.knowledge.put('acme', items('a', vectors(1, 400)));
    await store.knowledge.put('globex', items('g', vectors(1, 400)));
    await store.knowledge.prepare?.('acme');
    await store.knowledge.prepare?.('globex');
    return { store, exact };
  };

  it('answers like the exact scan, inside the tenant, with filters, and honours removals', async () => {
    const { store, exact } = await openTwoTenants();
    // Approximate: recall@10 against the exact scan, never a foreign item, the filter always holds.
    let found = 0;
    let wanted = 0;
    for (const query of vectors(2, 20)) {
      const approximate = await search(store, 'acme', query);
      const truth = new Set(await search(exact, 'acme', query));
      found += approximate.filter((id) => truth.has(id)).length;
      wanted += truth.size;
      expect(approximate).toHaveLength(10);
      expect(approximate.every((id) => id.startsWith('a-'))).toBe(true);
      const even = await search(store, 'acme', query, 5, true);
      expect(even).toHaveLength(5);
      expect(even.every((id) => Number(id.slice(2)) % 2 === 0)).toBe(true);
    }
    expect(found / wanted).toBeGreaterThanOrEqual(0.9);
    const query = vectors(2, 1)[0] ?? new Float32Array(DIMENSIONS);
    const [best] = await search(store, 'acme', query);
    expect(best).toBeDefined();
    await store.knowledge.remove('acme', best ?? '');
    const after = await search(store, 'acme', query);
    expect(after).not.toContain(best);
    expect(await search(exact, 'acme', query)).not.toContain(best);
    // Replacing an item moves its vector.
    await store.knowledge.put('acme', items('a', [query]));
    expect((await search(store, 'acme', query))[0]).toBe('a-0');
  });

  it('ranks by the index alone when only the order is wanted, inside the tenant, and re-ranks when filtered', async () => {
    const { store, exact } = await openTwoTenants();
    const refs = (target: Store, embedding: Float32Array, even?: boolean) =>
      target.knowledge.vectorRefs?.('acme', {
        embedding,
        embedder: EMBEDDER,
        limit: 10,
        rankOnly: true,
        filter: even === undefined ? [] : [{ field: { kind: 'metadata', key: 'even' }, op: 'eq', value: even }],
      }) ?? Promise.resolve([]);
    let found = 0;
    let quantised = 0;
    for (const query of vectors(2, 20)) {
      const ranked = await refs(store, query);
      const exactScores = new Map((await refs(exact, query)).map((ref) => [ref.itemId, ref.score]));
      quantised += ranked.filter((ref) => Math.abs(ref.score - (exactScores.get(ref.itemId) ?? ref.score)) > 1e-6).length;
      expect(ranked).toHaveLength(10);
      expect(ranked.every((ref) => ref.itemId.startsWith('a-'))).toBe(true);
      // Best first by the index's own distances (cosine similarity from int8 vectors: close to the exact one).
      const scores = ranked.map((ref) => ref.score);
      expect(scores).toEqual([...scores].sort((left, right) => right - left));
      const truth = new Set((await refs(exact, query)).map((ref) => ref.itemId));
      found += ranked.filter((ref) => truth.has(ref.itemId)).length;
      // A filter is not ranked by the index alone: the filter holds on every result.
      const even = await refs(store, query, true);
      expect(even.length).toBeGreaterThan(0);
      expect(even.every((ref) => Number(ref.itemId.slice(2)) % 2 === 0)).toBe(true);
    }
    expect(found / 200).toBeGreaterThanOrEqual(0.9);
    // The index answered (its int8 distances are not the exact cosines).
    expect(quantised).toBeGreaterThan(0);
  });

  it('persists beside the database, reloads a current index and rebuilds a stale one', async () => {
    const first = await openStore();
    await first.tenants.create(makeTenant('acme'));
    await first.knowledge.put('acme', items('a', vectors(3, 200)));
    await first.knowledge.prepare?.('acme');
    await closeStore(first);
    const files = readdirSync(`${path}-vectors`);
    expect(files.some((file) => file.endsWith('.usearch'))).toBe(true);
    const metaFile = join(`${path}-vectors`, files.find((file) => file.endsWith('.json')) ?? '');
    const savedAt = statSync(metaFile).mtimeMs;

    // Reopened without writes: the saved index is current, loaded, not rewritten.
    const second = await openStore();
    await second.knowledge.prepare?.('acme');
    const query = vectors(4, 1)[0] ?? new Float32Array(DIMENSIONS);
    const before = await search(second, 'acme', query);
    await closeStore(second);
    expect(statSync(metaFile).mtimeMs).toBe(savedAt);

    // Written while the index files were not kept up to date (another process without the index): stale, rebuilt.
    const plain = await openStore(false);
    await plain.knowledge.put('acme', items('new', [query]));
    await closeStore(plain);
    const third = await openStore();
    await third.knowledge.prepare?.('acme');
    const results = await search(third, 'acme', query);
    expect(results[0]).toBe('new-0');
    expect(results.slice(1).filter((id) => before.includes(id)).length).toBeGreaterThanOrEqual(7);
  });

  it('notices writes of another process at search time and stays exact until it has rebuilt', async () => {
    const store = await openStore();
    await store.tenants.create(makeTenant('acme'));
    await store.knowledge.put('acme', items('a', vectors(5, 200)));
    await store.knowledge.prepare?.('acme');
    const other = await openStore(false);
    const query = vectors(6, 1)[0] ?? new Float32Array(DIMENSIONS);
    await other.knowledge.put('acme', items('other', [query]));
    await other.knowledge.remove('acme', 'a-1');
    // Right away (exact scan), and once rebuilt (index).
    expect((await search(store, 'acme', query))[0]).toBe('other-0');
    await store.knowledge.prepare?.('acme');
    const rebuilt = await search(store, 'acme', query);
    expect(rebuilt[0]).toBe('other-0');
    expect(rebuilt).not.toContain('a-1');
  });

  it('keeps small tenants on the exact scan and writes nothing beside an in-memory database', async () => {
    const store = await openStore();
    await store.tenants.create(makeTenant('acme'));
    await store.knowledge.put('acme', items('a', vectors(7, 10)));
    await store.knowledge.prepare?.('acme');
    await closeStore(store);
    expect(existsSync(`${path}-vectors`)).toBe(false);
    const memory = await createSqliteStore({ path: ':memory:', vectorIndex: { minChunks: 1 } });
    await memory.tenants.create(makeTenant('acme'));
    await memory.knowledge.put('acme', items('a', vectors(8, 60)));
    await memory.knowledge.prepare?.('acme');
    const query = vectors(9, 1)[0] ?? new Float32Array(DIMENSIONS);
    expect((await search(memory, 'acme', query)).length).toBe(10);
    await memory.close();
  });
});
