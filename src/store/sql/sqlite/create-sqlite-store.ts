import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { BackendUnavailableError } from '../../../core/errors.js';
import type { Store } from '../../store.js';
import { createSqlStore } from '../create-sql-store.js';
import { createSqliteKnowledgeParts } from './knowledge-sqlite.js';
import { createSqliteLexicalIndexes } from './knowledge-sqlite-lexical-index.js';
import { SqliteVectorIndexes } from './knowledge-sqlite-vector-index.js';
import { type CheckpointThreadOptions, IN_MEMORY_PATH, openSqliteConnection, SqliteDatabase } from './sqlite-database.js';
import { migrateSqliteConnection } from './sqlite-migrate.js';

export interface SqliteStoreOptions {
  /** A file path (its directory is created when missing) or `:memory:`. */
  path: string;
  /** How long a write waits for another process's lock before failing with BackendUnavailableError. */
  busyTimeoutMs?: number | undefined;
  /** Most writes one group-commit transaction holds. */
  maxBatchSize?: number | undefined;
  /**
   * The approximate (HNSW) vector index of large tenants, kept in `<path>-vectors/`; `false` keeps every vector
   * search an exact sqlite-vec scan.
   */
  vectorIndex?: VectorIndexOptions | false | undefined;
  /** The in-process BM25 index of large tenants (lexical top-k without FTS5 scoring every match); `false`: FTS5 only. */
  lexicalIndex?: { minChunks?: number | undefined } | false | undefined;
  /**
   * The log's checkpoints on a thread of their own once it grows (sqlite-database.ts has the defaults); `false` leaves
   * them inside the writer's COMMITs.
   */
  checkpointThread?: Partial<CheckpointThreadOptions> | false | undefined;
}

export interface VectorIndexOptions {
  /** Tenants with fewer chunks use the exact scan (default 1,000). */
  minChunks?: number | undefined;
  /** HNSW graph degree (default 16). */
  connectivity?: number | undefined;
  /** Candidates kept while inserting (default 64). */
  expansionAdd?: number | undefined;
  /** Candidates kept while searching (default 128): recall against latency. */
  expansionSearch?: number | undefined;
}

const DEFAULTS = { busyTimeoutMs: 5_000, maxBatchSize: 512 };
/** Tenants with at least this many chunks get an in-process BM25 index (FTS5 alone ranks smaller ones fast enough). */
const LEXICAL_INDEX_MIN_CHUNKS = 500;
const VECTOR_DEFAULTS = { minChunks: 1_000, connectivity: 16, expansionAdd: 64, expansionSearch: 128 };

type CompleteOptions = Readonly<
  Required<Omit<SqliteStoreOptions, 'vectorIndex' | 'lexicalIndex' | 'checkpointThread'>> & {
    vectorIndex: Readonly<Required<VectorIndexOptions>> | false;
  }
>;

function completeOptions(options: SqliteStoreOptions): CompleteOptions {
  const vectorIndex = options.vectorIndex;
  return Object.freeze({
    path: options.path,
    busyTimeoutMs: options.busyTimeoutMs ?? DEFAULTS.busyTimeoutMs,
    maxBatchSize: options.maxBatchSize ?? DEFAULTS.maxBatchSize,
    vectorIndex:
      vectorIndex === false
        ? false
        : Object.freeze({
            minChunks: vectorIndex?.minChunks ?? VECTOR_DEFAULTS.minChunks,
            connectivity: vectorIndex?.connectivity ?? VECTOR_DEFAULTS.connectivity,
            expansionAdd: vectorIndex?.expansionAdd ?? VECTOR_DEFAULTS.expansionAdd,
            expansionSearch: vectorIndex?.expansionSearch ?? VECTOR_DEFAULTS.expansionSearch,
          }),
  });
}

function ensureParentDirectory(path: string): void {
  if (path === IN_MEMORY_PATH || path === '') return;
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new BackendUnavailableError(`Cannot create the directory of ${path}.`, { cause: error });
  }
}

/** Opens (creating and migrating when needed) a SQLite store: WAL, synchronous=FULL, group commit. */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const { path, busyTimeoutMs, maxBatchSize, vectorIndex } = completeOptions(options);
  ensureParentDirectory(path);
  const writer = openSqliteConnection({ path, busyTimeoutMs });
  try {
    await migrateSqliteConnection(writer);
    const inMemory = path === IN_MEMORY_PATH || path === '';
    const reader = inMemory ? undefined : openSqliteConnection({ path, busyTimeoutMs });
    const database = new SqliteDatabase(writer, reader, options.checkpointThread ?? {});
    const { minChunks, ...hnsw } = vectorIndex === false ? { minChunks: 0 } : vectorIndex;
    const indexes =
      vectorIndex === false
        ? undefined
        : new SqliteVectorIndexes(database.reader, {
            directory: inMemory ? undefined : `${path}-vectors`,
            minChunks,
            hnsw: hnsw as Required<Omit<VectorIndexOptions, 'minChunks'>>,
          });
    const lexicalIndex = options.lexicalIndex;
    const lexical =
      lexicalIndex === false
        ? undefined
        : createSqliteLexicalIndexes(database.reader, { minChunks: lexicalIndex?.minChunks ?? LEXICAL_INDEX_MIN_CHUNKS });
    return createSqlStore(database, { maxBatchSize, knowledgeParts: createSqliteKnowledgeParts(indexes, lexical) });
  } catch (error) {
    writer.close();
    throw error;
  }
}

/** Creates the file when missing and applies pending migrations (`ctx init-db`); returns the migrations applied. */
export async function migrateSqliteStore(options: SqliteStoreOptions): Promise<string[]> {
  const { path, busyTimeoutMs } = completeOptions(options);
  ensureParentDirectory(path);
  const connection = openSqliteConnection({ path, busyTimeoutMs });
  try {
    return await migrateSqliteConnection(connection);
  } finally {
    connection.close();
  }
}
