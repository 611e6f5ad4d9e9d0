import type { KnowledgeItemRecord, LexicalQuery, VectorQuery } from '../knowledge-store.js';
import type { SqlExecutor, SqlTransaction } from './sql-executor.js';

/** A chunk row ready to insert: everything but the dialect's encodings. */
export interface KnowledgeChunkRow {
  item: KnowledgeItemRecord;
  index: number;
  text: string;
  tokens: number;
  /** Lexical terms, already prefixed with the tenant's term prefix. */
  terms: readonly string[];
  embedding: Float32Array;
  metadataJson: string;
  dateIndexJson: string;
}

/** A matching chunk before its row is read: its `seq` and its score. */
export interface ScoredSeq {
  seq: number;
  score: number;
}

/** A filter as SQL over the chunk table aliased `c`, with its parameters in placeholder order. */
export interface SqlFragment {
  sql: string;
  parameters: (string | number)[];
}

/** What differs between SQLite (FTS5, sqlite-vec) and PostgreSQL (tsvector, real[]) for knowledge. */
export interface KnowledgeSqlParts {
  insertChunks(transaction: SqlTransaction, tenantId: string, rows: readonly KnowledgeChunkRow[]): Promise<void>;
  /** Removes an item's chunks from the lexical index before its rows are deleted (a no-op when the index is a column). */
  deleteFromIndex(transaction: SqlTransaction, tenantId: string, itemId: string): Promise<void>;
  /** `query.terms` are already prefixed. Scores in [0, 1]. */
  lexicalSearch(reader: SqlExecutor, tenantId: string, query: LexicalQuery): Promise<ScoredSeq[]>;
  vectorSearch(reader: SqlExecutor, tenantId: string, query: VectorQuery): Promise<ScoredSeq[]>;
}
