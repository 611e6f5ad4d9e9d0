import { BM25, type LexicalQuery, type VectorQuery } from '../../knowledge-store.js';
import { insertRows } from '../multi-row.js';
import type { SqlExecutor, SqlParameter, SqlTransaction } from '../sql-executor.js';
import type { KnowledgeChunkRow, KnowledgeSqlParts, ScoredSeq } from '../sql-knowledge-store-dialect.js';
import { postgresKnowledgeFilter } from './knowledge-postgres-filter.js';

/** PostgreSQL keeps at most 256 positions per lexeme, numbered up to 16383. */
const MAX_POSITIONS = 256;
const MAX_POSITION = 16_383;

/** A tsvector literal: each term with its positions. Terms are letters and digits only, so they need no escaping. */
export function tsvectorLiteral(terms: readonly string[]): string {
  const positions = new Map<string, number[]>();
  terms.forEach((term, index) => {
    let list = positions.get(term);
    if (list === undefined) {
      list = [];
      positions.set(term, list);
    }
    if (list.length < MAX_POSITIONS) list.push(Math.min(index + 1, MAX_POSITION));
  });
  return [...positions].map(([term, list]) => `'${term}':${list.join(',')}`).join(' ');
}

function realArray(vector: Float32Array): string {
  return `{${Array.from(vector, (value) => (Number.isFinite(value) ? value : 0)).join(',')}}`;
}

const INSERT_HEAD =
  'INSERT INTO knowledge_chunks (tenant_id, item_id, chunk_index, text, tokens, term_count, metadata, date_index, milestone, ' +
  'created_at, embedder, embedding, tsv)';

/**
 * BM25 in SQL with the tenant's own statistics: the chunks holding any query term (GIN on tsv), each term's
 * frequency from the tsvector's positions, document frequencies over the tenant's matching chunks, the corpus size
 * and average length from knowledge_tenants. Filters drop chunks after the statistics, as in the other backends.
 */
const LEXICAL_SQL = (filter: string) => `
WITH hits AS (
  SELECT c.seq, c.item_id, c.chunk_index, c.term_count, t.lexeme, cardinality(t.positions)::float8 AS tf, (${filter}) AS keep
  FROM knowledge_chunks c CROSS JOIN LATERAL unnest(c.tsv) AS t
  WHERE c.tenant_id = ? AND c.tsv @@ ?::tsquery AND t.lexeme = ANY(?::text[])
),
corpus AS (
  SELECT chunks::float8 AS total, greatest(terms::float8 / nullif(chunks, 0), 1) AS average_length
  FROM knowledge_tenants WHERE tenant_id = ?
),
weights AS (
  SELECT lexeme, ln(1 + (corpus.total - count(*) + 0.5) / (count(*) + 0.5)) AS idf
  FROM hits CROSS JOIN corpus GROUP BY lexeme, corpus.total
),
bound AS (SELECT sum(idf) * ${BM25.k1 + 1} AS value FROM weights)
SELECT h.seq,
  sum(w.idf * h.tf * ${BM25.k1 + 1} / (h.tf + ${BM25.k1} * (${1 - BM25.b} + ${BM25.b} * h.term_count / corpus.average_length)))
    / max(bound.value) AS score
FROM hits h JOIN weights w USING (lexeme) CROSS JOIN corpus CROSS JOIN bound
WHERE h.keep
GROUP BY h.seq, h.item_id, h.chunk_index
ORDER BY score DESC, h.item_id, h.chunk_index
LIMIT ?`;

/** PostgreSQL: tsvector + GIN with BM25 computed in SQL; vectors as real[] scanned exactly (no pgvector here yet). */
export const postgresKnowledgeParts: KnowledgeSqlParts = {
  async insertChunks(transaction: SqlTransaction, tenantId: string, rows: readonly KnowledgeChunkRow[]) {
    const values = rows.map((row): SqlParameter[] => [
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
      row.embedding.every((value) => value === 0) ? null : realArray(row.embedding),
      tsvectorLiteral(row.terms),
    ]);
    await insertRows(transaction, INSERT_HEAD, values);
  },

  async deleteFromIndex() {
    // The tsvector is a column of the row: deleting the row removes it from the index.
  },

  async lexicalSearch(reader: SqlExecutor, tenantId: string, query: LexicalQuery): Promise<ScoredSeq[]> {
    const filter = postgresKnowledgeFilter(query.filter);
    const rows = await reader.all<{ seq: string | number; score: number | string }>(LEXICAL_SQL(filter.sql), [
      ...filter.parameters,
      tenantId,
      query.terms.map((term) => `'${term}'`).join(' | '),
      `{${query.terms.join(',')}}`,
      tenantId,
      query.limit,
    ]);
    return rows.map((row) => ({ seq: Number(row.seq), score: Math.min(1, Math.max(0, Number(row.score))) }));
  },

  async vectorSearch(reader: SqlExecutor, tenantId: string, query: VectorQuery): Promise<ScoredSeq[]> {
    const filter = postgresKnowledgeFilter(query.filter);
    const rows = await reader.all<{ seq: string | number; score: number | string | null }>(
      'SELECT c.seq, (SELECT sum(a * b) FROM unnest(c.embedding, ?::real[]) AS v(a, b))::float8 AS score ' +
        `FROM knowledge_chunks c WHERE c.tenant_id = ? AND c.embedder = ? AND c.embedding IS NOT NULL AND ${filter.sql} ` +
        'ORDER BY score DESC NULLS LAST, c.item_id, c.chunk_index LIMIT ?',
      [realArray(query.embedding), tenantId, query.embedder, ...filter.parameters, query.limit],
    );
    return rows.map((row) => ({ seq: Number(row.seq), score: Number(row.score ?? 0) }));
  },
};
