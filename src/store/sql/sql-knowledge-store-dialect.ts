import type { TokenCounts } from '../../core/token-counts.js';
import type { KnowledgeItemRecord, LexicalQuery, VectorQuery } from '../knowledge-store.js';
import type { SqlExecutor, SqlTransaction } from './sql-executor.js';

/** A chunk row ready to insert: everything but the dialect's encodings. */
export interface KnowledgeChunkRow {
  item: KnowledgeItemRecord;
  index: number;
  text: string;
  tokens: TokenCounts;
  /** Lexical terms, already prefixed with the tenant's term prefix. */
  terms: readonly string[];
  embedding: Float32Array;
  metadataJson: string;
  dateIndexJson: string;
}

/** A chunk's item and position in it: what ranking needs besides the seq. */
export interface ChunkIds {
  itemId: string;
  chunkIndex: number;
}

/**
 * A matching chunk before its row is read: its `seq` and its score, and its ids when the ranking had them (an
 * in-process index that reflects the tenant's current generation): then no row read is needed to rank it.
 */
export interface ScoredSeq {
  seq: number;
  score: number;
  ids?: ChunkIds | undefined;
}

/** A filter as SQL over the chunk table aliased `c`, with its parameters in placeholder order. */
export interface SqlFragment {
  sql: string;
  parameters: (string | number)[];
}

/** What one committed write changed, for an index kept outside the database (SQLite's HNSW files). */
export interface KnowledgeIndexChange {
  /** The tenant's generation this write produced. */
  generation: number;
  /** The tenant's chunk count after it. */
  chunks: number;
  removed: readonly number[];
  added: readonly { seq: number; itemId: string; chunkIndex: number; embedder: string; embedding: Float32Array }[];
}

/** What the vector search of a tenant knows before it runs: its generation and size. */
export interface KnowledgeTenantStats {
  generation: number;
  chunks: number;
}

/**
 * What differs between SQLite (FTS5, sqlite-vec + HNSW) and PostgreSQL (tsvector, pgvector or real[]) for knowledge.
 * Search parts may return more candidates than `limit` (the store orders ties by item and chunk, then truncates).
 */
export interface KnowledgeSqlParts {
  /** Returns the seqs of the inserted rows, in order (empty when the dialect does not need them). */
  insertChunks(transaction: SqlTransaction, tenantId: string, rows: readonly KnowledgeChunkRow[]): Promise<readonly number[]>;
  /** Removes an item's chunks from the lexical index before its rows are deleted (a no-op when the index is a column). */
  deleteFromIndex(transaction: SqlTransaction, tenantId: string, itemId: string): Promise<void>;
  /** `query.terms` are already prefixed. Scores in [0, 1]. */
  lexicalSearch(reader: SqlExecutor, tenantId: string, query: LexicalQuery): Promise<ScoredSeq[]>;
  vectorSearch(reader: SqlExecutor, tenantId: string, query: VectorQuery, stats: KnowledgeTenantStats): Promise<ScoredSeq[]>;
  /** True when committed changes must be reported through `writeFinished` (an index outside the database). */
  readonly tracksChanges?: boolean | undefined;
  writeStarted?(tenantId: string): void;
  /** A write settled: its change when it committed and changed something, undefined when it failed or did nothing. */
  writeFinished?(tenantId: string, change: KnowledgeIndexChange | undefined): void;
  /** Resolves once the tenant's vector index is usable (no-op without one). */
  prepare?(tenantId: string, stats: KnowledgeTenantStats): Promise<void>;
  close?(): Promise<void>;
}
