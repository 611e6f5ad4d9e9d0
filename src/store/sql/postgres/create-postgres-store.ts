import pg from 'pg';
import { ValidationError } from '../../../core/errors.js';
import type { Store } from '../../store.js';
import { createSqlStore } from '../create-sql-store.js';
import { createPostgresKnowledgeParts } from './knowledge-postgres.js';
import { createPostgresLexicalIndexes } from './knowledge-postgres-lexical-index.js';
import { PostgresDatabase } from './postgres-database.js';
import { migratePostgresPool } from './postgres-migrate.js';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` (`postgresql://` too; pg's query parameters such as sslmode apply). */
  url: string;
  /** Keep the store's tables in this schema (created when missing) instead of the connection's default. */
  schema?: string | undefined;
  /** Most connections this instance opens (reads share them; a write transaction holds one). */
  poolSize?: number | undefined;
  /** Server-side limit per statement; a statement over it fails with BackendUnavailableError. */
  statementTimeoutMs?: number | undefined;
  /** How long to wait for a connection (opening one, or a free one from the pool) before BackendUnavailableError. */
  connectionTimeoutMs?: number | undefined;
  /** A transaction left idle this long (a stalled process) is ended by the server, releasing its row locks. */
  idleInTransactionTimeoutMs?: number | undefined;
  /**
   * Most writes one group-commit transaction holds. Each write is a subtransaction (savepoint); PostgreSQL keeps
   * 64 of them per transaction in shared memory before other sessions pay for looking them up.
   */
  maxBatchSize?: number | undefined;
  /**
   * The in-process lexical index of large tenants (top-k with ts_rank_cd's own scores, without scoring every match);
   * `false`: the database ranks every search.
   */
  lexicalIndex?: { minChunks?: number | undefined } | false | undefined;
}

/** Tenants with at least this many chunks get an in-process lexical index. */
const LEXICAL_INDEX_MIN_CHUNKS = 500;

type CompletePostgresStoreOptions = Readonly<
  Required<Omit<PostgresStoreOptions, 'schema' | 'lexicalIndex'>> & {
    schema: string | undefined;
    lexicalIndex: { minChunks: number } | false;
  }
>;

const DEFAULTS = {
  poolSize: 10,
  statementTimeoutMs: 30_000,
  connectionTimeoutMs: 5_000,
  idleInTransactionTimeoutMs: 60_000,
  maxBatchSize: 64,
};
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function completeOptions(options: PostgresStoreOptions): CompletePostgresStoreOptions {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new ValidationError(`"${options.schema}" is not a plain schema name (letters, digits, _).`, {
      code: 'invalid_database_schema',
    });
  }
  return Object.freeze({
    url: options.url,
    schema: options.schema,
    poolSize: options.poolSize ?? DEFAULTS.poolSize,
    statementTimeoutMs: options.statementTimeoutMs ?? DEFAULTS.statementTimeoutMs,
    connectionTimeoutMs: options.connectionTimeoutMs ?? DEFAULTS.connectionTimeoutMs,
    idleInTransactionTimeoutMs: options.idleInTransactionTimeoutMs ?? DEFAULTS.idleInTransactionTimeoutMs,
    maxBatchSize: options.maxBatchSize ?? DEFAULTS.maxBatchSize,
    lexicalIndex:
      options.lexicalIndex === false ? false : { minChunks: options.lexicalIndex?.minChunks ?? LEXICAL_INDEX_MIN_CHUNKS },
  });
}

function createPool(options: CompletePostgresStoreOptions, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max,
    connectionTimeoutMillis: options.connectionTimeoutMs,
    statement_timeout: options.statementTimeoutMs,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'context-engine',
    // Every named statement is planned once per connection. Custom plans would re-plan each execution, and
    // estimating a key range beyond the statistics (ids and keys inserted since the last ANALYZE) made planning cost
    // milliseconds per statement, growing with the table; our statements are point and range lookups on indexes.
    options: [
      '-c plan_cache_mode=force_generic_plan',
      // pgvector (when installed): a tenant- or filter-restricted nearest-neighbour query keeps scanning the HNSW
      // graph until its LIMIT is filled (0.8+), from a wider candidate list than the default 40.
      '-c hnsw.iterative_scan=relaxed_order -c hnsw.ef_search=100',
      ...(options.schema === undefined ? [] : [`-c search_path=${options.schema}`]),
    ].join(' '),
  });
  // An idle connection that drops (server restart, pg_terminate_backend) is discarded by the pool; the next
  // query opens a new one. Without a listener the error would end the process. The same holds for a checked-out
  // client between the moment the pool hands it over and the moment its user listens (a FATAL can arrive in the
  // same TCP read as the message that completed the checkout): each client keeps a listener for its whole life.
  // Its queries still fail (BackendUnavailableError), and the pool drops it once it is released.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** Opens a PostgreSQL store (migrating the database first): a pool, group commit, retries on deadlocks. */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const complete = completeOptions(options);
  const pool = createPool(complete, complete.poolSize);
  try {
    await migratePostgresPool(pool, complete.schema);
    const database = new PostgresDatabase(pool);
    const lexical =
      complete.lexicalIndex === false ? undefined : createPostgresLexicalIndexes(database.reader, complete.lexicalIndex);
    return createSqlStore(database, {
      maxBatchSize: complete.maxBatchSize,
      knowledgeParts: createPostgresKnowledgeParts(lexical),
      // Half the pool writes in parallel transactions (PostgreSQL group-commits their WAL flushes); the rest reads.
      concurrentTransactions: Math.max(1, Math.floor(complete.poolSize / 2)),
      // Each read is a round trip here: the reads of concurrent writes share one.
      coalesceReads: true,
    });
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}

/** Applies pending migrations (`ctx init-db`); returns the migrations applied. */
export async function migratePostgresStore(options: PostgresStoreOptions): Promise<string[]> {
  const complete = completeOptions(options);
  const pool = createPool(complete, 2);
  try {
    return await migratePostgresPool(pool, complete.schema);
  } finally {
    await pool.end().catch(() => undefined);
  }
}
