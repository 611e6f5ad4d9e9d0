import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { BackendUnavailableError } from '../../../core/errors.js';
import type { Store } from '../../store.js';
import { createSqlStore } from '../create-sql-store.js';
import { IN_MEMORY_PATH, openSqliteConnection, SqliteDatabase } from './sqlite-database.js';
import { migrateSqliteConnection } from './sqlite-migrate.js';

export interface SqliteStoreOptions {
  /** A file path (its directory is created when missing) or `:memory:`. */
  path: string;
  /** How long a write waits for another process's lock before failing with BackendUnavailableError. */
  busyTimeoutMs?: number | undefined;
  /** Most writes one group-commit transaction holds. */
  maxBatchSize?: number | undefined;
}

const DEFAULTS = { busyTimeoutMs: 5_000, maxBatchSize: 512 };

function completeOptions(options: SqliteStoreOptions): Readonly<Required<SqliteStoreOptions>> {
  return Object.freeze({
    path: options.path,
    busyTimeoutMs: options.busyTimeoutMs ?? DEFAULTS.busyTimeoutMs,
    maxBatchSize: options.maxBatchSize ?? DEFAULTS.maxBatchSize,
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
  const { path, busyTimeoutMs, maxBatchSize } = completeOptions(options);
  ensureParentDirectory(path);
  const writer = openSqliteConnection({ path, busyTimeoutMs });
  try {
    await migrateSqliteConnection(writer);
    const reader = path === IN_MEMORY_PATH || path === '' ? undefined : openSqliteConnection({ path, busyTimeoutMs });
    return createSqlStore(new SqliteDatabase(writer, reader), { maxBatchSize });
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
