import { BM25, type LexicalQuery, type VectorQuery } from '../../knowledge-store.js';
import type { SqlExecutor, SqlTransaction } from '../sql-executor.js';
import type { KnowledgeChunkRow, KnowledgeSqlParts, ScoredSeq } from '../sql-knowledge-store-dialect.js';
import { sqliteKnowledgeFilter } from './knowledge-sqlite-filter.js';

const INSERT_CHUNK =
  'INSERT INTO knowledge_chunks (tenant_id, item_id, chunk_index, text, tokens, term_count, metadata, date_index, milestone, ' +
  'created_at, embedder, embedding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq';

/** A float32 vector as the BLOB sqlite-vec reads (little-endian, as every platform sqlite-vec ships for). */
function vectorBlob(vector: Float32Array): Uint8Array {
  return new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
}

function isZero(vector: Float32Array): boolean {
  return vector.every((value) => value === 0);
}

/** FTS5 inverse document frequency, as its bm25() computes it. */
function fts5Idf(total: number, holders: number): number {
  const idf = Math.log((total - holders + 0.5) / (holders + 0.5));
  return idf <= 0 ? 1e-6 : idf;
}

/**
 * SQLite: FTS5 (contentless, rowid = chunk seq) ranks with its own bm25(); terms carry the tenant prefix, so
 * document frequencies are the tenant's (the row count and average length are the table's). The score is bm25
 * over the largest score the query's terms could reach. Vectors: sqlite-vec's exact cosine scan over the BLOBs.
 */
export const sqliteKnowledgeParts: KnowledgeSqlParts = {
  async insertChunks(transaction: SqlTransaction, tenantId: string, rows: readonly KnowledgeChunkRow[]) {
    for (const row of rows) {
      const inserted = await transaction.get<{ seq: number }>(INSERT_CHUNK, [
        tenantId,
        row.item.id,
        row.index,
        row.text,
        row.tokens,
        row.terms.length,
        row.metadataJson,
        row.dateIndexJson,
        row.item.milestone,
        row.item.createdAt,
        row.item.embedder,
        isZero(row.embedding) ? null : vectorBlob(row.embedding),
      ]);
      if (inserted === undefined) throw new Error('INSERT … RETURNING gave no row.');
      await transaction.run('INSERT INTO knowledge_fts (rowid, terms) VALUES (?, ?)', [inserted.seq, row.terms.join(' ')]);
    }
  },

  async deleteFromIndex(transaction: SqlTransaction, tenantId: string, itemId: string) {
    await transaction.run(
      'DELETE FROM knowledge_fts WHERE rowid IN (SELECT seq FROM knowledge_chunks WHERE tenant_id = ? AND item_id = ?)',
      [tenantId, itemId],
    );
  },

  async lexicalSearch(reader: SqlExecutor, tenantId: string, query: LexicalQuery): Promise<ScoredSeq[]> {
    const bound = await upperBound(reader, query.terms);
    if (bound === 0) return [];
    const filter = sqliteKnowledgeFilter(query.filter);
    const match = query.terms.map((term) => `"${term}"`).join(' OR ');
    const rows = await reader.all<{ seq: number; raw: number }>(
      'SELECT c.seq AS seq, -bm25(knowledge_fts) AS raw FROM knowledge_fts JOIN knowledge_chunks c ON c.seq = knowledge_fts.rowid ' +
        `WHERE knowledge_fts MATCH ? AND c.tenant_id = ? AND ${filter.sql} ORDER BY raw DESC, c.item_id, c.chunk_index LIMIT ?`,
      [match, tenantId, ...filter.parameters, query.limit],
    );
    return rows.map((row) => ({ seq: row.seq, score: Math.min(1, Math.max(0, row.raw / bound)) }));
  },

  async vectorSearch(reader: SqlExecutor, tenantId: string, query: VectorQuery): Promise<ScoredSeq[]> {
    const filter = sqliteKnowledgeFilter(query.filter);
    const rows = await reader.all<{ seq: number; distance: number | null }>(
      'SELECT c.seq AS seq, vec_distance_cosine(c.embedding, ?) AS distance FROM knowledge_chunks c ' +
        `WHERE c.tenant_id = ? AND c.embedder = ? AND c.embedding IS NOT NULL AND ${filter.sql} ` +
        'ORDER BY distance IS NULL, distance, c.item_id, c.chunk_index LIMIT ?',
      [vectorBlob(query.embedding), tenantId, query.embedder, ...filter.parameters, query.limit],
    );
    return rows.map((row) => ({ seq: row.seq, score: row.distance === null ? 0 : 1 - row.distance }));
  },
};

/** The largest bm25() the query could reach: every known term with a saturated frequency. 0 when none is known. */
async function upperBound(reader: SqlExecutor, terms: readonly string[]): Promise<number> {
  const total = await reader.get<{ total: number | null }>('SELECT sum(chunks) AS total FROM knowledge_tenants');
  let bound = 0;
  for (const term of terms) {
    const row = await reader.get<{ doc: number }>('SELECT doc FROM knowledge_fts_vocab WHERE term = ?', [term]);
    if (row !== undefined && row.doc > 0) bound += fts5Idf(Number(total?.total ?? 0), row.doc) * (BM25.k1 + 1);
  }
  return bound;
}
