import { BM25, type LexicalQuery, type VectorQuery } from '../../knowledge-store.js';
import type { LexicalIndexes } from '../knowledge-lexical-indexes.js';
import type { SqlExecutor, SqlTransaction } from '../sql-executor.js';
import type {
  KnowledgeChunkRow,
  KnowledgeSqlParts,
  KnowledgeTenantStats,
  ScoredSeq,
  SqlFragment,
} from '../sql-knowledge-store-dialect.js';
import { sqliteKnowledgeFilter } from './knowledge-sqlite-filter.js';
import type { SqliteVectorIndexes } from './knowledge-sqlite-vector-index.js';

const INSERT_CHUNK =
  'INSERT INTO knowledge_chunks (tenant_id, item_id, chunk_index, text, tokens, tokens_cl100k, term_count, metadata, ' +
  'date_index, milestone, created_at, embedder, embedding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq';

/** Candidates beyond `limit` read from a ranked list, so that ties at the cut are ordered by item and chunk. */
const TIE_MARGIN = 10;
/** With a filter, candidates read per result wanted before falling back to the filtered full query. */
const FILTER_OVERFETCH = 10;

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
 * over the largest score the query's terms could reach. Lexical top-k reads only the FTS5 index (ORDER BY rank
 * LIMIT), then checks a filter on those candidates. Vectors: an HNSW index per tenant (usearch) when the tenant is
 * large enough, its candidates re-ranked with the exact float32 vectors; sqlite-vec's exact scan otherwise.
 */
export function createSqliteKnowledgeParts(vectorIndex?: SqliteVectorIndexes, lexicalIndex?: LexicalIndexes): KnowledgeSqlParts {
  return {
    tracksChanges: vectorIndex !== undefined,
    writeStarted: (tenantId) => vectorIndex?.writeStarted(tenantId),
    writeFinished: (tenantId, change) => vectorIndex?.writeFinished(tenantId, change),
    prepare: async (tenantId, stats) => {
      await Promise.all([vectorIndex?.prepare(tenantId, stats), lexicalIndex?.prepare(tenantId, stats)]);
    },
    close: async () => {
      lexicalIndex?.close();
      await vectorIndex?.close();
    },

    async insertChunks(transaction: SqlTransaction, tenantId: string, rows: readonly KnowledgeChunkRow[]) {
      const seqs: number[] = [];
      for (const row of rows) {
        const inserted = await transaction.get<{ seq: number }>(INSERT_CHUNK, [
          tenantId,
          row.item.id,
          row.index,
          row.text,
          row.tokens.o200k_base,
          row.tokens.cl100k_base,
          row.terms.length,
          row.metadataJson,
          row.dateIndexJson,
          row.item.milestone,
          row.item.createdAt,
          row.item.embedder,
          isZero(row.embedding) ? null : vectorBlob(row.embedding),
        ]);
        if (inserted === undefined) throw new Error('INSERT … RETURNING gave no row.');
        seqs.push(inserted.seq);
        await transaction.run('INSERT INTO knowledge_fts (rowid, terms) VALUES (?, ?)', [inserted.seq, row.terms.join(' ')]);
      }
      return seqs;
    },

    async deleteFromIndex(transaction: SqlTransaction, tenantId: string, itemId: string) {
      await transaction.run(
        'DELETE FROM knowledge_fts WHERE rowid IN (SELECT seq FROM knowledge_chunks WHERE tenant_id = ? AND item_id = ?)',
        [tenantId, itemId],
      );
    },

    async lexicalSearch(reader: SqlExecutor, tenantId: string, query: LexicalQuery): Promise<ScoredSeq[]> {
      if (lexicalIndex !== undefined && query.filter.length === 0) {
        const indexed = await indexedLexicalSearch(reader, lexicalIndex, tenantId, query, query.limit + TIE_MARGIN);
        if (indexed !== undefined) return indexed;
      }
      const weights = await termWeights(reader, query.terms);
      const bound = weights.reduce((sum, { idf }) => sum + idf * (BM25.k1 + 1), 0);
      if (bound === 0) return [];
      // FTS5 gives a term held by more than half of the rows an idf of 1e-6: it cannot change a ranking that another
      // term decides, while it makes FTS5 score every row that holds it. Such terms are left out unless all are.
      const weighty = weights.filter(({ idf }) => idf > CLAMPED_IDF);
      const terms = (weighty.length > 0 ? weighty : weights).map(({ term }) => term);
      const match = terms.map((term) => `"${term}"`).join(' OR ');
      const toScored = (rows: { seq: number; raw: number }[]) =>
        rows.map((row) => ({ seq: row.seq, score: Math.min(1, Math.max(0, row.raw / bound)) }));
      const depth = query.limit + TIE_MARGIN;
      if (query.filter.length === 0) {
        return toScored(
          await reader.all<{ seq: number; raw: number }>(
            'SELECT rowid AS seq, -rank AS raw FROM knowledge_fts WHERE knowledge_fts MATCH ? ORDER BY rank LIMIT ?',
            [match, depth],
          ),
        );
      }
      const filter = sqliteKnowledgeFilter(query.filter);
      const wide = depth * FILTER_OVERFETCH;
      const candidates = await reader.all<{ seq: number; raw: number }>(
        'SELECT rowid AS seq, -rank AS raw FROM knowledge_fts WHERE knowledge_fts MATCH ? ORDER BY rank LIMIT ?',
        [match, wide],
      );
      const kept = await keepMatching(reader, tenantId, candidates, filter);
      if (kept.length >= depth || candidates.length < wide) return toScored(kept);
      // A selective filter: rank only the rows that pass it.
      return toScored(
        await reader.all<{ seq: number; raw: number }>(
          'SELECT c.seq AS seq, -bm25(knowledge_fts) AS raw FROM knowledge_fts JOIN knowledge_chunks c ON c.seq = knowledge_fts.rowid ' +
            `WHERE knowledge_fts MATCH ? AND c.tenant_id = ? AND ${filter.sql} ORDER BY raw DESC LIMIT ?`,
          [match, tenantId, ...filter.parameters, depth],
        ),
      );
    },

    async vectorSearch(reader: SqlExecutor, tenantId: string, query: VectorQuery, stats: KnowledgeTenantStats) {
      const depth = query.limit + TIE_MARGIN;
      if (query.rankOnly === true && query.filter.length === 0) {
        // Only the order is wanted: the index's own (int8) distances rank, no exact re-rank.
        const ranked = await vectorIndex?.search(tenantId, stats, query.embedder, query.embedding, depth);
        if (ranked !== undefined) return ranked.map(({ seq, distance, ids }) => ({ seq, score: 1 - distance, ids }));
      }
      const wide = query.filter.length === 0 ? depth + 2 * TIE_MARGIN : depth * FILTER_OVERFETCH;
      const approximate = await vectorIndex?.search(tenantId, stats, query.embedder, query.embedding, wide);
      if (approximate !== undefined) {
        const reranked = await rerank(
          reader,
          tenantId,
          query,
          approximate.map((match) => match.seq),
        );
        if (reranked.length >= depth || approximate.length < wide) return reranked;
      }
      return exactVectorSearch(reader, tenantId, query, depth);
    },
  };
}

/** The stateless parts: exact vector scan only (PostgreSQL-style use, tests). */
export const sqliteKnowledgeParts: KnowledgeSqlParts = createSqliteKnowledgeParts();

/** FTS5's idf floor (bm25() clamps idf <= 0 to this). */
const CLAMPED_IDF = 1e-6;

/**
 * Lexical top-k from the tenant's in-process index (the same scores as FTS5's bm25(): its idf over the table's row
 * count, the table's average length), or undefined when the index does not reflect the tenant's generation. The index
 * reflects it, so its ids are the rows' own: they come with each seq, and ranking needs no row read.
 */
async function indexedLexicalSearch(
  reader: SqlExecutor,
  lexicalIndex: LexicalIndexes,
  tenantId: string,
  query: LexicalQuery,
  depth: number,
): Promise<ScoredSeq[] | undefined> {
  const row = await reader.get<{ generation: number; chunks: number; total: number; terms: number }>(
    'SELECT t.generation AS generation, t.chunks AS chunks, s.total AS total, s.terms AS terms FROM knowledge_tenants t, ' +
      '(SELECT sum(chunks) AS total, sum(terms) AS terms FROM knowledge_tenants) s WHERE t.tenant_id = ?',
    [tenantId],
  );
  if (row === undefined) return [];
  const index = lexicalIndex.lookup(tenantId, { generation: Number(row.generation), chunks: Number(row.chunks) });
  if (index === undefined) return undefined;
  const total = Number(row.total);
  const weights = query.terms.flatMap((term) => {
    const holders = index.documentFrequency(term);
    return holders > 0 ? [{ term, idf: fts5Idf(total, holders) }] : [];
  });
  const bound = weights.reduce((sum, { idf }) => sum + idf * (BM25.k1 + 1), 0);
  if (bound === 0) return [];
  const weighty = weights.filter(({ idf }) => idf > CLAMPED_IDF);
  const averageLength = total > 0 ? Number(row.terms) / total : 1;
  return index
    .search(weighty.length > 0 ? weighty : weights, depth, averageLength)
    .map(({ seq, raw, ids }) => ({ seq, score: Math.min(1, Math.max(0, raw / bound)), ids }));
}

/** Each known term with FTS5's idf; unknown terms are left out. */
async function termWeights(reader: SqlExecutor, terms: readonly string[]): Promise<{ term: string; idf: number }[]> {
  const total = await reader.get<{ total: number | null }>('SELECT sum(chunks) AS total FROM knowledge_tenants');
  const weights: { term: string; idf: number }[] = [];
  for (const term of terms) {
    const row = await reader.get<{ doc: number }>('SELECT doc FROM knowledge_fts_vocab WHERE term = ?', [term]);
    if (row !== undefined && row.doc > 0) weights.push({ term, idf: fts5Idf(Number(total?.total ?? 0), row.doc) });
  }
  return weights;
}

/** The candidates (in order) whose rows belong to the tenant and pass the filter (NOT INDEXED: look up by seq). */
async function keepMatching<Row extends { seq: number }>(
  reader: SqlExecutor,
  tenantId: string,
  candidates: readonly Row[],
  filter: SqlFragment,
): Promise<Row[]> {
  if (candidates.length === 0) return [];
  const rows = await reader.all<{ seq: number }>(
    `SELECT c.seq AS seq FROM knowledge_chunks c NOT INDEXED WHERE c.tenant_id = ? AND c.seq IN (${candidates.map(() => '?').join(', ')}) AND ${filter.sql}`,
    [tenantId, ...candidates.map((candidate) => candidate.seq), ...filter.parameters],
  );
  const kept = new Set(rows.map((row) => row.seq));
  return candidates.filter((candidate) => kept.has(candidate.seq));
}

/** Exact cosine of the query with each candidate's stored float32 vector, inside the tenant, embedder and filter. */
async function rerank(reader: SqlExecutor, tenantId: string, query: VectorQuery, seqs: readonly number[]): Promise<ScoredSeq[]> {
  if (seqs.length === 0) return [];
  const filter = sqliteKnowledgeFilter(query.filter);
  const rows = await reader.all<{ seq: number; embedding: Uint8Array }>(
    `SELECT c.seq AS seq, c.embedding AS embedding FROM knowledge_chunks c NOT INDEXED WHERE c.tenant_id = ? AND c.embedder = ? AND c.seq IN (${seqs.map(() => '?').join(', ')}) ` +
      `AND c.embedding IS NOT NULL AND ${filter.sql}`,
    [tenantId, query.embedder, ...seqs, ...filter.parameters],
  );
  return rows
    .map((row) => ({ seq: row.seq, score: cosine(query.embedding, row.embedding) }))
    .sort((left, right) => right.score - left.score);
}

function cosine(query: Float32Array, blob: Uint8Array): number {
  const vector = new Float32Array(blob.buffer, blob.byteOffset, Math.floor(blob.byteLength / 4));
  let dot = 0;
  let left = 0;
  let right = 0;
  for (let index = 0; index < Math.min(query.length, vector.length); index += 1) {
    const x = query[index] ?? 0;
    const y = vector[index] ?? 0;
    dot += x * y;
    left += x * x;
    right += y * y;
  }
  return left === 0 || right === 0 ? 0 : dot / Math.sqrt(left * right);
}

/** sqlite-vec's exact scan: the reference, and the answer for small tenants. */
async function exactVectorSearch(reader: SqlExecutor, tenantId: string, query: VectorQuery, depth: number): Promise<ScoredSeq[]> {
  const filter = sqliteKnowledgeFilter(query.filter);
  const rows = await reader.all<{ seq: number; distance: number | null }>(
    'SELECT c.seq AS seq, vec_distance_cosine(c.embedding, ?) AS distance FROM knowledge_chunks c ' +
      `WHERE c.tenant_id = ? AND c.embedder = ? AND c.embedding IS NOT NULL AND ${filter.sql} ` +
      'ORDER BY distance IS NULL, distance, c.item_id, c.chunk_index LIMIT ?',
    [vectorBlob(query.embedding), tenantId, query.embedder, ...filter.parameters, depth],
  );
  return rows.map((row) => ({ seq: row.seq, score: row.distance === null ? 0 : 1 - row.distance }));
}
