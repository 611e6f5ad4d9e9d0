import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { BackendUnavailableError } from '../../../core/errors.js';
import { listMigrationNames, MIGRATION_TABLE, migrateToLatest } from '../migrations/migrations.js';
import { sqliteDialect } from './sqlite-dialect.js';
import { isSqliteBusy, translateSqliteError } from './sqlite-errors.js';

const MAX_ATTEMPTS = 20;
/** Migrations of one file in this process run one at a time (two connections of one thread would deadlock). */
const migrationsInProgress = new Map<string, Promise<unknown>>();

/**
 * Brings the schema up to date on an open connection; returns the names of the migrations it applied.
 * Kysely's SQLite adapter runs migrations outside a transaction, so this wraps them in BEGIN IMMEDIATE …
 * COMMIT: the migration is atomic, and a second process migrating the same file waits (busy_timeout),
 * then finds nothing left to do.
 */
export function migrateSqliteConnection(connection: Database.Database): Promise<string[]> {
  if (connection.memory) return migrateWithRetry(connection);
  const path = resolve(connection.name);
  const previous = migrationsInProgress.get(path) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => migrateWithRetry(connection));
  migrationsInProgress.set(path, next);
  const forget = () => {
    if (migrationsInProgress.get(path) === next) migrationsInProgress.delete(path);
  };
  next.then(forget, forget);
  return next;
}

async function migrateWithRetry(connection: Database.Database): Promise<string[]> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await migrateOnce(connection);
    } catch (error) {
      if (!isSqliteBusy(error) || attempt >= MAX_ATTEMPTS) throw toMigrationError(error);
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
    }
  }
}

async function migrateOnce(connection: Database.Database): Promise<string[]> {
  if (isUpToDate(connection)) return [];
  // Kysely closes its database when destroyed; the connection belongs to the caller, so hide close().
  const database = new Kysely<unknown>({
    dialect: new SqliteDialect({ database: { close: () => {}, prepare: (sql: string) => connection.prepare(sql) } }),
  });
  connection.exec('BEGIN IMMEDIATE');
  try {
    const { error, results = [] } = await migrateToLatest(database, sqliteDialect);
    if (error !== undefined) throw error;
    connection.exec('COMMIT');
    return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
  } catch (error) {
    if (connection.inTransaction) connection.exec('ROLLBACK');
    throw error;
  } finally {
    await database.destroy();
  }
}

/** A quick check without the write lock: every known migration is recorded already. */
function isUpToDate(connection: Database.Database): boolean {
  const table = connection.prepare("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?").get(MIGRATION_TABLE);
  if (table === undefined) return false;
  const applied = new Set(
    (connection.prepare(`SELECT name FROM ${MIGRATION_TABLE}`).all() as { name: string }[]).map((row) => row.name),
  );
  return listMigrationNames().every((name) => applied.has(name));
}

function toMigrationError(error: unknown): Error {
  const translated = translateSqliteError(error);
  if (translated instanceof BackendUnavailableError) return translated;
  return new BackendUnavailableError('Migrating the SQLite database failed.', { cause: error });
}
