import type { Kysely, Migration, MigrationProvider, MigrationResultSet } from 'kysely';
import { Migrator } from 'kysely';
import { createInitialSchema } from './0001-initial-schema.js';
import type { SchemaOptions } from './schema-options.js';

/** Every migration, in order. Append only: never edit or reorder one that has shipped. */
function listMigrations(options: SchemaOptions): [string, Migration][] {
  return [['0001_initial_schema', { up: (database) => createInitialSchema(database, options) }]];
}

/** The names of every migration, in order. */
export function listMigrationNames(): string[] {
  return listMigrations({ jsonColumnType: 'text', compositeKeyTableSuffix: '' }).map(([name]) => name);
}

export const MIGRATION_TABLE = 'kysely_migration';

/** An in-code provider: no files are read at run time, so the compiled package migrates on its own. */
export function createMigrationProvider(options: SchemaOptions): MigrationProvider {
  return { getMigrations: async () => Object.fromEntries(listMigrations(options)) };
}

/** Runs the pending migrations; Kysely records them in `kysely_migration` (and locks with `kysely_migration_lock`). */
export async function migrateToLatest(database: Kysely<unknown>, options: SchemaOptions): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db: database, provider: createMigrationProvider(options) });
  return migrator.migrateToLatest();
}
