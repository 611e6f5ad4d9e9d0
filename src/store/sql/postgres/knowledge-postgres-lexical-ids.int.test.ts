import pg from 'pg';
import { expect, it } from 'vitest';
import { makeTenant } from '../../conformance/fixtures.js';
import { QUERIES } from '../../conformance/lexical-corpus.js';
import { multiChunkCorpus } from '../../conformance/multi-chunk-corpus.js';
import type { KnowledgeRef } from '../../knowledge-store.js';
import type { SqlExecutor } from '../sql-executor.js';
import { readRefs } from '../sql-knowledge-store-rows.js';
import { tenantTermPrefix } from '../sql-knowledge-store-term-prefix.js';
import { createPostgresStore } from './create-postgres-store.js';
import { createPostgresKnowledgeParts } from './knowledge-postgres.js';
import { createPostgresLexicalIndexes } from './knowledge-postgres-lexical-index.js';
import { PostgresDatabase } from './postgres-database.js';
import { describePostgres } from './postgres-test-database.js';

/** A reader that fails on any read: what ranking from the index must not need. */
const NO_READS: SqlExecutor = {
  get: () => Promise.reject(new Error('unexpected read')),
  all: () => Promise.reject(new Error('unexpected read')),
  run: () => Promise.reject(new Error('unexpected read')),
};

/**
 * The scores in order, and the refs strictly above the last score: ts_rank_cd's float4 scores tie often, and the SQL
 * path's LIMIT cuts a tie in any order.
 */
function comparable(refs: readonly KnowledgeRef[]) {
  const cut = refs.at(-1)?.score ?? 0;
  return { scores: refs.map((ref) => ref.score), above: refs.filter((ref) => ref.score > cut) };
}

describePostgres('postgres knowledge, in-process lexical index ids', (database) => {
  it("returns the rows' own item ids and chunk indexes, so that lexical refs need no row read", async () => {
    const schema = database.nextSchema();
    const plain = await createPostgresStore({ url: database.url, schema, lexicalIndex: false });
    const pool = new pg.Pool({ connectionString: database.url, max: 2, options: `-c search_path=${schema}` });
    const reader = new PostgresDatabase(pool).reader;
    const parts = createPostgresKnowledgeParts(createPostgresLexicalIndexes(reader, { minChunks: 0 }));
    try {
      for (const tenant of ['a', 'b']) await plain.tenants.create(makeTenant(tenant));
      await plain.knowledge.put('a', multiChunkCorpus(7, 300, 'a'));
      // Tenant b holds the same terms: an index that leaked across tenants would return its chunks.
      await plain.knowledge.put('b', multiChunkCorpus(7, 120, 'b'));
      await parts.prepare?.('a', await plain.knowledge.stats('a'));
      const rows = await reader.all<{ seq: string; tenant_id: string; item_id: string; chunk_index: number }>(
        'SELECT seq, tenant_id, item_id, chunk_index FROM knowledge_chunks',
      );
      const bySeq = new Map(rows.map((row) => [Number(row.seq), row]));
      let ranked = 0;
      for (const terms of QUERIES) {
        for (const limit of [1, 5, 25]) {
          const prefixed = terms.map((term) => tenantTermPrefix('a') + term);
          const scored = await parts.lexicalSearch(reader, 'a', { terms: prefixed, limit, filter: [] });
          ranked += scored.length;
          for (const { seq, ids } of scored) {
            const row = bySeq.get(seq);
            expect(row?.tenant_id).toBe('a');
            expect(ids).toEqual({ itemId: row?.item_id, chunkIndex: row?.chunk_index });
          }
          const refs = await readRefs(NO_READS, 'a', scored, limit);
          const reference = (await plain.knowledge.lexicalRefs?.('a', { terms, limit, filter: [] })) ?? [];
          expect(comparable(refs)).toEqual(comparable(reference));
        }
      }
      expect(ranked).toBeGreaterThan(0);
    } finally {
      await parts.close?.();
      await pool.end();
      await plain.close();
    }
  });
});
