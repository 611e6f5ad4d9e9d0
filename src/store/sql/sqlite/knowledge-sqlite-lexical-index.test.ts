import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTenant } from '../../conformance/fixtures.js';
import { describeKnowledgeConformance } from '../../conformance/knowledge-conformance.js';
import { corpus, QUERIES } from '../../conformance/lexical-corpus.js';
import type { KnowledgeItemRecord } from '../../knowledge-store.js';
import type { Store } from '../../store.js';
import { createSqliteStore } from './create-sqlite-store.js';

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
