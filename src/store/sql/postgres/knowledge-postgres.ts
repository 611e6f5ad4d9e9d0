import type { LexicalQuery, VectorQuery } from '../../knowledge-store.js';
import type { LexicalIndexes } from '../knowledge-lexical-indexes.js';
import { HNSW_MAX_DIMENSIONS, hnswIndexSql, pgvectorNames } from '../migrations/0008-knowledge-search.js';
import { insertRows } from '../multi-row.js';
import type { SqlExecutor, SqlParameter, SqlTransaction } from '../sql-executor.js';
import type { KnowledgeChunkRow, KnowledgeSqlParts, ScoredSeq } from '../sql-knowledge-store-dialect.js';
import { postgresKnowledgeFilter } from './knowledge-postgres-filter.js';
import { tsRankCdOf } from './knowledge-postgres-lexical-index.js';

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

/** pgvector's text form: `[0.1,0.2,…]`. */
function vectorLiteral(vector: Float32Array): string {
  return `[${Array.from(vector, (value) => (Number.isFinite(value) ? value : 0)).join(',')}]`;
}

const INSERT_HEAD =
  'INSERT INTO knowledge_chunks (tenant_id, item_id, chunk_index, text, tokens, tokens_cl100k, term_count, metadata, ' +
  'date_index, milestone, created_at, embedder, embedding, tsv)';

/** Candidates beyond `limit`, so that ties at the cut are ordered by item and chunk. */
const TIE_MARGIN = 10;

/**
 * Lexical: the GIN index on tsv finds the tenant's chunks (terms carry the tenant prefix, so the index only holds
 * this tenant's postings for them), ts_rank_cd ranks them (normalised by log length, then rank / (rank + 1): in
 * [0, 1)), and only the top rows are returned.
 */
const LEXICAL_SQL = (filter: string) =>
  'SELECT c.seq, ts_rank_cd(c.tsv, q.query, 1 | 32) AS score FROM knowledge_chunks c, (SELECT ?::tsquery AS query) q ' +
  `WHERE c.tenant_id = ? AND c.tsv @@ q.query AND ${filter} ORDER BY score DESC LIMIT ?`;

/**
 * PostgreSQL: tsvector + GIN ranked by ts_rank_cd. Vectors: pgvector (`vector` column, a partial HNSW index per
 * dimension count, cosine) when migration 0008 found the extension, else an exact scan of real[].
 */
export function createPostgresKnowledgeParts(lexicalIndex?: LexicalIndexes): KnowledgeSqlParts {
  /** The schema of pgvector's `vector` when the embedding column has that type (migration 0008), else undefined. */
  let vectorSchema: Promise<string | undefined> | undefined;
  const indexedDimensions = new Set<number>();
  const pgvectorSchema = (executor: SqlExecutor): Promise<string | undefined> => {
    vectorSchema ??= executor
      .get<{ type: string; schema: string }>(
        'SELECT t.typname AS type, n.nspname AS schema FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid ' +
          "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE a.attrelid = to_regclass('knowledge_chunks') AND a.attname = 'embedding'",
      )
      .then((row) => (row?.type === 'vector' ? row.schema : undefined));
    return vectorSchema;
  };

  return {
    prepare: async (tenantId, stats) => {
      await lexicalIndex?.prepare(tenantId, stats);
    },
    close: async () => {
      lexicalIndex?.close();
    },

    async insertChunks(transaction: SqlTransaction, tenantId: string, rows: readonly KnowledgeChunkRow[]) {
      const schema = await pgvectorSchema(transaction);
      const pgvector = schema !== undefined;
      const values = rows.map((row): SqlParameter[] => [
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
        row.embedding.every((value) => value === 0) ? null : pgvector ? vectorLiteral(row.embedding) : realArray(row.embedding),
        tsvectorLiteral(row.terms),
      ]);
      if (schema !== undefined) {
        for (const row of rows) {
          const dimensions = row.embedding.length;
          if (indexedDimensions.has(dimensions) || dimensions > HNSW_MAX_DIMENSIONS) continue;
          // One transaction at a time creates a dimension's index; IF NOT EXISTS makes the others no-ops.
          await transaction.run("SELECT pg_advisory_xact_lock(hashtext('knowledge_chunks_hnsw'))");
          await transaction.run(hnswIndexSql(schema, dimensions));
          indexedDimensions.add(dimensions);
        }
      }
      await insertRows(transaction, INSERT_HEAD, values);
      return [];
    },

    async deleteFromIndex() {
      // The tsvector and the vector are columns of the row: deleting the row removes them from their indexes.
    },

    async lexicalSearch(reader: SqlExecutor, tenantId: string, query: LexicalQuery): Promise<ScoredSeq[]> {
      if (lexicalIndex !== undefined && query.filter.length === 0) {
        const indexed = await indexedLexicalSearch(reader, lexicalIndex, tenantId, query);
        if (indexed !== undefined) return indexed;
      }
      const filter = postgresKnowledgeFilter(query.filter);
      const rows = await reader.all<{ seq: string | number; score: number | string }>(LEXICAL_SQL(filter.sql), [
        query.terms.map((term) => `'${term}'`).join(' | '),
        tenantId,
        ...filter.parameters,
        query.limit + TIE_MARGIN,
      ]);
      return rows.map((row) => ({ seq: Number(row.seq), score: Math.min(1, Math.max(0, Number(row.score))) }));
    },

    async vectorSearch(reader: SqlExecutor, tenantId: string, query: VectorQuery): Promise<ScoredSeq[]> {
      const filter = postgresKnowledgeFilter(query.filter);
      const depth = query.limit + TIE_MARGIN;
      const dimensions = query.embedding.length;
      const schema = await pgvectorSchema(reader);
      if (schema !== undefined && dimensions <= HNSW_MAX_DIMENSIONS) {
        const names = pgvectorNames(schema);
        const vector = names.vector(dimensions);
        // Ordered by the partial HNSW index of this dimension count; hnsw.iterative_scan (set per connection) keeps
        // scanning until the tenant's and the filter's rows fill the LIMIT.
        const rows = await reader.all<{ seq: string | number; distance: number | string | null }>(
          `SELECT c.seq, (c.embedding::${vector} ${names.cosineDistance} ?::${vector})::float8 AS distance ` +
            `FROM knowledge_chunks c WHERE ${names.dims}(c.embedding) = ${dimensions} AND c.tenant_id = ? AND c.embedder = ? ` +
            `AND ${filter.sql} ORDER BY c.embedding::${vector} ${names.cosineDistance} ?::${vector} LIMIT ?`,
          [vectorLiteral(query.embedding), tenantId, query.embedder, ...filter.parameters, vectorLiteral(query.embedding), depth],
        );
        return rows.map((row) => ({ seq: Number(row.seq), score: row.distance === null ? 0 : 1 - Number(row.distance) }));
      }
      const rows = await reader.all<{ seq: string | number; score: number | string | null }>(
        'SELECT c.seq, (SELECT sum(a * b) FROM unnest(c.embedding, ?::real[]) AS v(a, b))::float8 AS score ' +
          `FROM knowledge_chunks c WHERE c.tenant_id = ? AND c.embedder = ? AND c.embedding IS NOT NULL AND ${filter.sql} ` +
          'ORDER BY score DESC NULLS LAST, c.item_id, c.chunk_index LIMIT ?',
        [realArray(query.embedding), tenantId, query.embedder, ...filter.parameters, depth],
      );
      return rows.map((row) => ({ seq: Number(row.seq), score: Number(row.score ?? 0) }));
    },
  };
}

/**
 * Lexical top-k from the tenant's in-process index: the same scores as the SQL's ts_rank_cd (an OR query: every
 * occurrence a cover), or undefined when the index does not reflect the tenant's generation. The index reflects it,
 * so its ids are the rows' own: they come with each seq, and ranking needs no row read.
 */
async function indexedLexicalSearch(
  reader: SqlExecutor,
  lexicalIndex: LexicalIndexes,
  tenantId: string,
  query: LexicalQuery,
): Promise<ScoredSeq[] | undefined> {
  const row = await reader.get<{ generation: number | string; chunks: number | string }>(
    'SELECT generation, chunks FROM knowledge_tenants WHERE tenant_id = ?',
    [tenantId],
  );
  if (row === undefined) return [];
  const index = lexicalIndex.lookup(tenantId, { generation: Number(row.generation), chunks: Number(row.chunks) });
  if (index === undefined) return undefined;
  return index
    .search(
      query.terms.map((term) => ({ term, idf: 1 })),
      query.limit + TIE_MARGIN,
      index.averageLength,
    )
    .map(({ seq, raw, ids }) => ({ seq, score: Math.min(1, Math.max(0, tsRankCdOf(raw))), ids }));
}
