import { ValidationError } from '../../core/errors.js';
import type { Store } from '../store.js';
import { createPostgresStore, migratePostgresStore, type PostgresStoreOptions } from './postgres/create-postgres-store.js';
import { createSqliteStore, migrateSqliteStore } from './sqlite/create-sqlite-store.js';

/** Options for either dialect; each uses the ones that apply to it. */
export interface SqlStoreUrlOptions extends Omit<PostgresStoreOptions, 'url'> {
  /** SQLite: how long a write waits for another process's lock. */
  busyTimeoutMs?: number | undefined;
  maxBatchSize?: number | undefined;
}

type ParsedUrl = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

/** `sqlite:<path>` (`sqlite::memory:` for a throw-away database) or `postgres://…`. */
export function parseSqlStoreUrl(url: string): ParsedUrl {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '')
      throw new ValidationError('The SQLite URL has no path: use sqlite:<path>.', { code: 'invalid_database_url' });
    return { dialect: 'sqlite', path };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { dialect: 'postgres', url };
  throw new ValidationError(`Unknown database URL "${url}": use sqlite:<path> or postgres://…`, {
    code: 'invalid_database_url',
  });
}

/** Opens the SQL store a database URL names, migrating it first. */
export async function openSqlStore(url: string, options: SqlStoreUrlOptions = {}): Promise<Store> {
  const parsed = parseSqlStoreUrl(url);
  if (parsed.dialect === 'postgres') return createPostgresStore({ ...postgresOptions(options), url: parsed.url });
  return createSqliteStore({ path: parsed.path, busyTimeoutMs: options.busyTimeoutMs, maxBatchSize: options.maxBatchSize });
}

/** Applies pending migrations to the database a URL names (`ctx init-db`); returns the migrations applied. */
export async function migrateSqlStore(url: string, options: SqlStoreUrlOptions = {}): Promise<string[]> {
  const parsed = parseSqlStoreUrl(url);
  if (parsed.dialect === 'postgres') return migratePostgresStore({ ...postgresOptions(options), url: parsed.url });
  return migrateSqliteStore({ path: parsed.path, busyTimeoutMs: options.busyTimeoutMs });
}

function postgresOptions({ busyTimeoutMs: _unused, ...options }: SqlStoreUrlOptions): Omit<PostgresStoreOptions, 'url'> {
  return options;
}
