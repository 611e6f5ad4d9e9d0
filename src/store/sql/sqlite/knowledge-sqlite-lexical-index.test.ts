import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTenant } from '../../conformance/fixtures.js';
import { describeKnowledgeConformance } from '../../conformance/knowledge-conformance.js';
import { corpus, QUERIES } from '../../conformance/lexical-corpus.js';
import { multiChunkCorpus } from '../../conformance/multi-chunk-corpus.js';
import type { KnowledgeItemRecord, KnowledgeRef } from '../../knowledge-store.js';
import type { Store } from '../../store.js';
import type { SqlExecutor } from '../sql-executor.js';
import { readRefs } from '../sql-knowledge-store-rows.js';
import { tenantTermPrefix } from '../sql-knowledge-store-term-prefix.js';
import { createSqliteStore } from './create-sqlite-store.js';
import { createSqliteKnowledgeParts } from './knowledge-sqlite.js';
import { createSqliteLexicalIndexes } from './knowledge-sqlite-lexical-index.js';
import { openSqliteConnection } from './sqlite-database.js';
import { SqliteExecutor } from './sqlite-executor.js';

const directories = new Map<object, string>();

// The whole knowledge suite again, with every tenant ranked by the in-process BM25 index.
describeKnowledgeConformance({
  name: 'sqlite, in-process lexical index',
  async create() {
    const directory = mkdtempSync(join(tmpdir(), 'ctx-knowledge-lexical-'));
    const store = await createSqliteStore({ path: join(directory, 'context.db'), lexicalIndex: { minChunks: 0 } });
    directories.set(store, directory);
    return store;
  },
  async destroy(store) {
    await store.close();
    rmSync(directories.get(store) ?? '', { recursive: true, force: true });
  },
});

describe('SQLite in-process lexical index', () => {
  let directory: string;
  const open: Store[] = [];
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'ctx-lexical-index-'));
  });
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('ranks as FTS5 does, inside the tenant, and follows writes', async () => {
    const path = join(directory, 'context.db');
    const indexed = await createSqliteStore({ path, lexicalIndex: { minChunks: 0 } });
    const plain = await createSqliteStore({ path, lexicalIndex: false });
    open.push(indexed, plain);
    for (const tenant of ['a', 'b']) await indexed.tenants.create(makeTenant(tenant));
    const live = new Map<string, KnowledgeItemRecord>();
    const write = async (tenantId: string, records: KnowledgeItemRecord[]) => {
      await indexed.knowledge.put(tenantId, records);
      for (const record of records) live.set(`${tenantId}/${record.id}`, record);
    };
    await write('a', corpus(7, 400, 'a'));
    await write('b', corpus(11, 150, 'b'));
    await indexed.knowledge.prepare?.('a');
    // Before any delete, FTS5's own statistics are exact: the same order and scores as bm25().
    for (const terms of QUERIES) {
      for (const limit of [1, 5, 25]) {
        const query = { terms, limit, filter: [] };
        const fast = await indexed.knowledge.lexicalSearch('a', query);
        const reference = await plain.knowledge.lexicalSearch('a', query);
        expect(fast.map((hit) => hit.itemId)).toEqual(reference.map((hit) => hit.itemId));
        fast.forEach((hit, position) => {
          expect(hit.score).toBeCloseTo(reference[position]?.score ?? -1, 9);
        });
      }
    }
    // Replacements and removals: FTS5 keeps deleted rows in its vocabulary counts for a while, so the reference is
    // an exhaustive BM25 over the live chunks (FTS5's formula, the table's row count and average length).
    await write('a', corpus(13, 50, 'a'));
    await indexed.knowledge.remove('a', 'a-3');
    live.delete('a/a-3');
    await indexed.knowledge.prepare?.('a');
    for (const terms of QUERIES) {
      const expected = exhaustive([...live.entries()], terms);
      for (const limit of [1, 5, 25]) {
        const fast = await indexed.knowledge.lexicalSearch('a', { terms, limit, filter: [] });
        expect(fast.map((hit) => hit.score)).toEqual(expected.slice(0, limit).map(({ score }) => expect.closeTo(score, 9)));
        for (const hit of fast) expect(expected.find(({ id }) => id === hit.itemId)?.score).toBeCloseTo(hit.score, 9);
      }
    }
  });
});

/** Refs with their scores to 9 digits (the index's BM25 and FTS5's differ in the last bits). */
function comparable(refs: readonly KnowledgeRef[]) {
  return refs.map((ref) => ({ ...ref, score: expect.closeTo(ref.score, 9) }));
}

/** A reader that fails on any read: what ranking from the index must not need. */
const NO_READS: SqlExecutor = {
  get: () => Promise.reject(new Error('unexpected read')),
  all: () => Promise.reject(new Error('unexpected read')),
  run: () => Promise.reject(new Error('unexpected read')),
};

describe('SQLite in-process lexical index, ids', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'ctx-lexical-ids-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it("returns the rows' own item ids and chunk indexes, so that lexical refs need no row read", async () => {
    const path = join(directory, 'context.db');
    const plain = await createSqliteStore({ path, lexicalIndex: false });
    const connection = openSqliteConnection({ path, busyTimeoutMs: 1_000 });
    try {
      for (const tenant of ['a', 'b']) await plain.tenants.create(makeTenant(tenant));
      await plain.knowledge.put('a', multiChunkCorpus(7, 400, 'a'));
      await plain.knowledge.put('b', multiChunkCorpus(11, 150, 'b'));
      const reader = new SqliteExecutor(connection);
      const parts = createSqliteKnowledgeParts(undefined, createSqliteLexicalIndexes(reader, { minChunks: 0 }));
      const stats = await plain.knowledge.stats('a');
      await parts.prepare?.('a', stats);
      const rows = connection.prepare('SELECT seq, item_id, chunk_index FROM knowledge_chunks').all() as {
        seq: number;
        item_id: string;
        chunk_index: number;
      }[];
      const bySeq = new Map(rows.map((row) => [row.seq, { itemId: row.item_id, chunkIndex: row.chunk_index }]));
      let ranked = 0;
      for (const terms of QUERIES) {
        for (const limit of [1, 5, 25]) {
          const prefixed = terms.map((term) => tenantTermPrefix('a') + term);
          const scored = await parts.lexicalSearch(reader, 'a', { terms: prefixed, limit, filter: [] });
          ranked += scored.length;
          for (const { seq, ids } of scored) expect(ids).toEqual(bySeq.get(seq));
          // The same refs (ids, keys, scores and order, ties by item id then chunk) as the row read of the SQL path.
          const refs = await readRefs(NO_READS, 'a', scored, limit);
          const reference = (await plain.knowledge.lexicalRefs?.('a', { terms, limit, filter: [] })) ?? [];
          expect(refs).toEqual(comparable(reference));
        }
      }
      expect(ranked).toBeGreaterThan(0);
      await parts.close?.();
    } finally {
      connection.close();
      await plain.close();
    }
  });
});

/** FTS5's bm25() over tenant a's live chunks, normalised by the query's bound, best first. */
function exhaustive(entries: [string, KnowledgeItemRecord][], terms: readonly string[]): { id: string; score: number }[] {
  const lengths = entries.map(([, record]) => record.chunks[0]?.terms.length ?? 0);
  const total = entries.length;
  const averageLength = lengths.reduce((sum, length) => sum + length, 0) / total;
  const tenant = entries.filter(([key]) => key.startsWith('a/')).map(([, record]) => record);
  const weights = terms.flatMap((term) => {
    const holders = tenant.filter((record) => record.chunks[0]?.terms.includes(term)).length;
    if (holders === 0) return [];
    const idf = Math.log((total - holders + 0.5) / (holders + 0.5));
    return [{ term, idf: idf <= 0 ? 1e-6 : idf }];
  });
  const bound = weights.reduce((sum, { idf }) => sum + idf * 2.2, 0);
  const weighty = weights.filter(({ idf }) => idf > 1e-6);
  const used = weighty.length > 0 ? weighty : weights;
  return tenant
    .map((record) => {
      const chunkTerms = record.chunks[0]?.terms ?? [];
      const norm = 1 - 0.75 + (0.75 * chunkTerms.length) / averageLength;
      const raw = used.reduce((sum, { term, idf }) => {
        const frequency = chunkTerms.filter((candidate) => candidate === term).length;
        return sum + (frequency === 0 ? 0 : (idf * frequency * 2.2) / (frequency + 1.2 * norm));
      }, 0);
      return { id: record.id, score: raw / bound, matched: used.some(({ term }) => chunkTerms.includes(term)) };
    })
    .filter(({ matched }) => matched)
    .sort((left, right) => right.score - left.score || (left.id < right.id ? -1 : 1));
}
