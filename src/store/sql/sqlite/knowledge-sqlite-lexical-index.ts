import { LexicalIndexes, type LexicalPostings } from '../knowledge-lexical-indexes.js';
import type { SqlExecutor } from '../sql-executor.js';
import type { TermPostings } from '../sql-knowledge-store-bm25-index.js';
import { tenantTermPrefix } from '../sql-knowledge-store-term-prefix.js';

/** The term one past every term that starts with `prefix` (prefixes end in a hex digit or a letter). */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/**
 * A tenant's postings from FTS5's own (an `instance` fts5vocab table on the reader connection, made once per
 * connection) and each chunk's term count and ids, one term per event-loop turn.
 */
function sqlitePostingsLoader() {
  let vocabulary: Promise<void> | undefined;
  return async (reader: SqlExecutor, tenantId: string, isClosed: () => boolean): Promise<LexicalPostings> => {
    const prefix = tenantTermPrefix(tenantId);
    vocabulary ??= reader
      .run('CREATE VIRTUAL TABLE IF NOT EXISTS temp.knowledge_fts_instance USING fts5vocab(main, knowledge_fts, instance)')
      .then(() => undefined);
    await vocabulary;
    const chunks = await reader.all<{ seq: number; term_count: number; item_id: string; chunk_index: number }>(
      'SELECT seq, term_count, item_id, chunk_index FROM knowledge_chunks WHERE tenant_id = ? ORDER BY seq',
      [tenantId],
    );
    const terms = await reader.all<{ term: string }>('SELECT term FROM knowledge_fts_vocab WHERE term >= ? AND term < ?', [
      prefix,
      prefixEnd(prefix),
    ]);
    const postings: TermPostings[] = [];
    for (const { term } of terms) {
      await new Promise((resolve) => setImmediate(resolve));
      if (isClosed()) throw new Error('the store closed during the build');
      const rows = await reader.all<{ doc: number; frequency: number }>(
        'SELECT doc, count(*) AS frequency FROM temp.knowledge_fts_instance WHERE term = ? GROUP BY doc',
        [term],
      );
      postings.push({ term, seqs: rows.map((row) => row.doc), frequencies: rows.map((row) => row.frequency) });
    }
    return {
      chunks: {
        seqs: chunks.map((row) => row.seq),
        lengths: chunks.map((row) => row.term_count),
        itemIds: chunks.map((row) => row.item_id),
        chunkIndexes: chunks.map((row) => row.chunk_index),
      },
      terms: postings,
    };
  };
}

/** SQLite's in-process BM25 indexes (FTS5's bm25() scores), for tenants of at least `minChunks` chunks. */
export function createSqliteLexicalIndexes(reader: SqlExecutor, options: { minChunks: number }): LexicalIndexes {
  return new LexicalIndexes(reader, { minChunks: options.minChunks, scoring: 'bm25' }, sqlitePostingsLoader());
}
