import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTenant } from '../../conformance/fixtures.js';
import type { KnowledgeItemRecord, KnowledgeRef } from '../../knowledge-store.js';
import type { Store } from '../../store.js';
import { createSqlStore } from '../create-sql-store.js';
import { createSqliteStore } from './create-sqlite-store.js';
import { HnswWorker } from './hnsw-worker.js';
import { HNSW_WORKER_SOURCE } from './hnsw-worker-source.js';
import { createSqliteKnowledgeParts } from './knowledge-sqlite.js';
import { HnswIndex } from './knowledge-sqlite-hnsw.js';
import { SqliteVectorIndexes } from './knowledge-sqlite-vector-index.js';
import { openSqliteConnection, SqliteDatabase } from './sqlite-database.js';
import { migrateSqliteConnection } from './sqlite-migrate.js';

const DIMENSIONS = 8;
const EMBEDDER = 'test:8';
const HNSW = { connectivity: 16, expansionAdd: 64, expansionSearch: 128 };

/** Deterministic pseudo-random unit vectors. */
function vectors(seed: number, count: number): Float32Array[] {
  let state = seed;
  const random = () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647 - 0.5;
  };
  return Array.from({ length: count }, () => {
    const vector = Float32Array.from({ length: DIMENSIONS }, random);
    const length = Math.hypot(...vector);
    return vector.map((value) => value / length);
  });
}

function items(embeddings: readonly Float32Array[]): KnowledgeItemRecord[] {
  return embeddings.map((embedding, index) => ({
    id: `item-${index}`,
    metadata: {},
    milestone: null,
    createdAt: '2025-01-15T12:00:00.000Z',
    embedder: EMBEDDER,
    chunks: [{ index: 0, text: `item ${index}`, tokens: { o200k_base: 2, cl100k_base: 2 }, terms: ['item'], embedding }],
  }));
}

/** The real thread's code, made to exit (before answering) an `op` request sent while `marker` exists; the marker is consumed. */
function dyingSource(marker: string, op = 'search'): string {
  return `{
  const { parentPort: port } = require('node:worker_threads');
  const fs = require('node:fs');
  port.on('message', (message) => {
    if (message.op === ${JSON.stringify(op)} && fs.existsSync(${JSON.stringify(marker)})) {
      fs.unlinkSync(${JSON.stringify(marker)});
      process.exit(7);
    }
  });
}
${HNSW_WORKER_SOURCE}`;
}

describe('the HNSW index thread', () => {
  let directory: string;
  const closing: Array<() => Promise<void>> = [];

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'ctx-hnsw-thread-'));
  });
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('adds, searches, removes, saves and loads on its thread, in request order', async () => {
    const worker = new HnswWorker();
    closing.push(() => worker.close());
    const data = vectors(1, 100);
    const index = HnswIndex.create(worker, DIMENSIONS, HNSW);
    // Not awaited: the search is answered after the add, which was sent first.
    const added = index.add(
      data.map((_, seq) => seq + 1),
      data,
    );
    const [nearest] = await index.search(data[41] as Float32Array, 3);
    await added;
    expect(nearest?.seq).toBe(42);
    expect(nearest?.distance).toBeLessThan(0.01);
    await index.remove([42]);
    expect((await index.search(data[41] as Float32Array, 3)).map((match) => match.seq)).not.toContain(42);
    const file = join(directory, 'index.usearch');
    expect(await index.save(file)).toBe(99);
    const { index: loaded, size } = await HnswIndex.load(worker, file, DIMENSIONS, HNSW);
    expect(size).toBe(99);
    expect((await loaded.search(data[6] as Float32Array, 1))[0]?.seq).toBe(7);
    await expect(HnswIndex.load(worker, join(directory, 'missing.usearch'), DIMENSIONS, HNSW)).rejects.toThrow();
  });

  it('fails the requests of a thread that died, and starts a new one for new indexes', async () => {
    const marker = join(directory, 'die');
    const worker = new HnswWorker(dyingSource(marker));
    closing.push(() => worker.close());
    const data = vectors(2, 20);
    const index = HnswIndex.create(worker, DIMENSIONS, HNSW);
    await index.add(
      data.map((_, seq) => seq + 1),
      data,
    );
    const first = worker.incarnation;
    writeFileSync(marker, '');
    await expect(index.search(data[0] as Float32Array, 1)).rejects.toThrow(/exited \(code 7\)/);
    // The index died with its thread: later requests fail at once, and a new index lives on a new thread.
    await expect(index.search(data[0] as Float32Array, 1)).rejects.toThrow(/stopped/);
    const fresh = HnswIndex.create(worker, DIMENSIONS, HNSW);
    await fresh.add([5], [data[4] as Float32Array]);
    expect((await fresh.search(data[4] as Float32Array, 1))[0]?.seq).toBe(5);
    expect(worker.incarnation).toBe(first + 1);
    await worker.close();
    await expect(fresh.search(data[4] as Float32Array, 1)).rejects.toThrow(/closed/);
  });

  /** A SQLite store at `path` whose vector index thread runs `source`. */
  async function storeWithThread(path: string, source: string): Promise<Store> {
    const writer = openSqliteConnection({ path, busyTimeoutMs: 5_000 });
    await migrateSqliteConnection(writer);
    const database = new SqliteDatabase(writer, openSqliteConnection({ path, busyTimeoutMs: 5_000 }));
    const indexes = new SqliteVectorIndexes(database.reader, { directory: undefined, minChunks: 50, hnsw: HNSW }, source);
    const store = createSqlStore(database, { maxBatchSize: 64, knowledgeParts: createSqliteKnowledgeParts(indexes) });
    closing.push(() => store.close());
    return store;
  }

  it('fails a build whose thread dies mid-way (exact scans meanwhile, no unhandled rejection), then builds again', async () => {
    const marker = join(directory, 'die');
    const path = join(directory, 'context.db');
    const store = await storeWithThread(path, dyingSource(marker, 'add'));
    await store.tenants.create(makeTenant('acme'));
    // 5,000 vectors: ~20 build steps, most still to read when the thread dies at the first add.
    await store.knowledge.put('acme', items(vectors(5, 5_000)));
    writeFileSync(marker, '');
    const warnings: string[] = [];
    const onWarning = (warning: Error & { code?: string }) => warnings.push(warning.code ?? '');
    process.on('warning', onWarning);
    try {
      await store.knowledge.prepare?.('acme');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(existsSync(marker)).toBe(false);
      expect(warnings).toContain('CTX_VECTOR_INDEX_FAILED');
    } finally {
      process.off('warning', onWarning);
    }
    const query = vectors(6, 1)[0] as Float32Array;
    const ranked = () =>
      store.knowledge.vectorRefs?.('acme', { embedding: query, embedder: EMBEDDER, limit: 10, rankOnly: true, filter: [] }) ??
      Promise.resolve([]);
    const exact = await ranked();
    expect(exact).toHaveLength(10);
    // The failed build is stale; `prepare` builds again, on a new thread, and the index answers.
    await store.knowledge.prepare?.('acme');
    const indexed = await ranked();
    expect(indexed).toHaveLength(10);
    expect(indexed.some((ref, position) => Math.abs(ref.score - (exact[position]?.score ?? 0)) > 1e-6)).toBe(true);
  });

  it('answers by the exact scan while the thread is behind on a bulk load, and by the index once prepare says so', async () => {
    // The real thread, made to take 100 ms over every add: a bulk load's adds pile up behind each other.
    const slowAdds = `{
  const { parentPort: port } = require('node:worker_threads');
  port.on('message', (message) => {
    if (message.op === 'add') for (const end = Date.now() + 100; Date.now() < end; );
  });
}
${HNSW_WORKER_SOURCE}`;
    const path = join(directory, 'context.db');
    const store = await storeWithThread(path, slowAdds);
    const exact = await createSqliteStore({ path, vectorIndex: false });
    closing.push(() => exact.close());
    await store.tenants.create(makeTenant('acme'));
    await store.knowledge.put('acme', items(vectors(7, 100)));
    await store.knowledge.prepare?.('acme');
    // Ten writes of 100 items each: 1,000 vectors sent, at most a few hundred applied by the time the last commits.
    const bulk = vectors(8, 1_000);
    for (let start = 0; start < bulk.length; start += 100) {
      const batch = items(bulk.slice(start, start + 100)).map((item, index) => ({ ...item, id: `bulk-${start + index}` }));
      await store.knowledge.put('acme', batch);
    }
    const query = vectors(9, 1)[0] as Float32Array;
    const ranked = (target: Store): Promise<KnowledgeRef[]> =>
      target.knowledge.vectorRefs?.('acme', { embedding: query, embedder: EMBEDDER, limit: 10, rankOnly: true, filter: [] }) ??
      Promise.resolve([]);
    const truth = await ranked(exact);
    // Not queued behind the adds: the exact scan answers, with the bulk load's items in it.
    expect(await ranked(store)).toEqual(truth);
    await store.knowledge.prepare?.('acme');
    const indexed = await ranked(store);
    expect(indexed).toHaveLength(10);
    // The index answered: its int8 distances are not the exact cosines.
    expect(indexed.some((ref, position) => Math.abs(ref.score - (truth[position]?.score ?? 0)) > 1e-6)).toBe(true);
  });

  it('answers by the exact scan when the thread dies, then rebuilds on a new thread', async () => {
    const marker = join(directory, 'die');
    const path = join(directory, 'context.db');
    const store = await storeWithThread(path, dyingSource(marker));
    const exact = await createSqliteStore({ path, vectorIndex: false });
    closing.push(() => exact.close());
    await store.tenants.create(makeTenant('acme'));
    await store.knowledge.put('acme', items(vectors(3, 200)));
    await store.knowledge.prepare?.('acme');

    const query = vectors(4, 1)[0] as Float32Array;
    const ranked = (target: Store): Promise<KnowledgeRef[]> =>
      target.knowledge.vectorRefs?.('acme', { embedding: query, embedder: EMBEDDER, limit: 10, rankOnly: true, filter: [] }) ??
      Promise.resolve([]);
    const truth = await ranked(exact);
    const fromIndex = await ranked(store);
    // The index answered: its int8 distances are not the exact cosines.
    expect(fromIndex.some((ref, position) => Math.abs(ref.score - (truth[position]?.score ?? 0)) > 1e-6)).toBe(true);

    const warnings: string[] = [];
    const onWarning = (warning: Error & { code?: string }) => warnings.push(warning.code ?? '');
    process.on('warning', onWarning);
    try {
      writeFileSync(marker, '');
      // The thread dies under this search: the exact scan answers it, and the next ones until a rebuild.
      expect(await ranked(store)).toEqual(truth);
      expect(existsSync(marker)).toBe(false);
      expect(await ranked(store)).toEqual(truth);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toContain('CTX_VECTOR_INDEX_FAILED');
    } finally {
      process.off('warning', onWarning);
    }
    await store.knowledge.prepare?.('acme');
    const rebuilt = await ranked(store);
    // A rebuilt graph is not the same graph (usearch inserts on several threads): its neighbours, not their exact
    // order, match the first index's (as recall, like knowledge-sqlite-vector-index.test.ts).
    const before = new Set(fromIndex.map((ref) => ref.itemId));
    expect(rebuilt).toHaveLength(10);
    expect(rebuilt.filter((ref) => before.has(ref.itemId)).length).toBeGreaterThanOrEqual(8);
    expect(rebuilt.some((ref, position) => Math.abs(ref.score - (truth[position]?.score ?? 0)) > 1e-6)).toBe(true);
  });
});
