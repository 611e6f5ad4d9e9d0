import { Kysely, PostgresDialect } from 'kysely';
import type { Pool } from 'pg';
import { BackendUnavailableError } from '../../../core/errors.js';
import { migrateToLatest } from '../migrations/migrations.js';
import { postgresDialect } from './postgres-dialect.js';
import { translatePostgresError } from './postgres-errors.js';

/**
 * Brings the schema up to date through the store's pool; returns the names of the migrations it applied.
 * Kysely's PostgreSQL adapter runs all pending migrations in one transaction under a session advisory lock,
 * so two instances starting at once apply each migration once: the second waits, then finds nothing to do.
 */
export async function migratePostgresPool(pool: Pool, schema: string | undefined): Promise<string[]> {
  // Kysely ends its pool when destroyed; the pool belongs to the caller, so hide end().
  const database = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: { connect: () => pool.connect(), end: async () => {} } }),
  });
  try {
    const { error, results = [] } = await migrateToLatest(database, postgresDialect, schema);
    if (error !== undefined) throw error;
    return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
  } catch (error) {
    const translated = translatePostgresError(error, false);
    if (translated instanceof BackendUnavailableError) throw translated;
    const reason = error instanceof Error ? error.message : String(error);
    throw new BackendUnavailableError(`Migrating the PostgreSQL database failed: ${reason}`, { cause: error });
  } finally {
    await database.destroy();
  }
}
