import type { Kysely, Migration, MigrationProvider, MigrationResultSet } from 'kysely';
import { Migrator } from 'kysely';
import type { SqlDialect } from '../sql-dialect.js';
import { createInitialSchema } from './0001-initial-schema.js';
import { createVectorExtensionIfAvailable } from './0002-vector-extension.js';
import { createRunTables } from './0003-runs.js';
import { createEventContexts } from './0004-event-contexts.js';
import { createKnowledgeTables } from './0005-knowledge.js';
import { createAssemblySchema } from './0006-assembly.js';
import { dropVersionsAsOfIndex } from './0007-drop-versions-as-of-index.js';
import { upgradeKnowledgeSearch } from './0008-knowledge-search.js';
import { createInjectionRules } from './0009-injection-rules.js';
import { compactEventContexts } from './0010-compact-event-contexts.js';
import { createEventContextTotals } from './0011-event-context-totals.js';
import { addVersionTokenCounts } from './0012-version-token-counts.js';
import type { SchemaOptions } from './schema-options.js';

/**
 * Every migration, in order. Append only: never edit or reorder one that has shipped. A migration may belong
 * to one backend only (pgvector): the others never list it.
 */
function listMigrations(options: SchemaOptions): [string, Migration][] {
  const migrations: [string, Migration][] = [
    ['0001_initial_schema', { up: (database) => createInitialSchema(database, options) }],
  ];
  if (options.backend === 'postgres') {
    migrations.push([
      '0002_vector_extension',
      { up: async (database) => void (await createVectorExtensionIfAvailable(database)) },
    ]);
  }
  migrations.push(['0003_runs', { up: (database) => createRunTables(database, options) }]);
  migrations.push(['0004_event_contexts', { up: (database) => createEventContexts(database, options) }]);
  migrations.push(['0005_knowledge', { up: (database) => createKnowledgeTables(database, options) }]);
  migrations.push(['0006_assembly', { up: (database) => createAssemblySchema(database, options) }]);
  migrations.push(['0007_drop_versions_as_of_index', { up: (database) => dropVersionsAsOfIndex(database) }]);
  migrations.push(['0008_knowledge_search', { up: (database) => upgradeKnowledgeSearch(database, options) }]);
  migrations.push(['0009_injection_rules', { up: (database) => createInjectionRules(database, options) }]);
  migrations.push(['0010_compact_event_contexts', { up: (database) => compactEventContexts(database, options) }]);
  migrations.push(['0011_event_context_totals', { up: (database) => createEventContextTotals(database, options) }]);
  migrations.push(['0012_version_token_counts', { up: (database) => addVersionTokenCounts(database) }]);
  return migrations;
}

/** The names of every migration of a backend, in order. */
export function listMigrationNames(backend: SqlDialect['backend'] = 'sqlite'): string[] {
  return listMigrations({ backend, jsonColumnType: 'text', compositeKeyTableSuffix: '' }).map(([name]) => name);
}

export const MIGRATION_TABLE = 'kysely_migration';

/** An in-code provider: no files are read at run time, so the compiled package migrates on its own. */
export function createMigrationProvider(options: SchemaOptions): MigrationProvider {
  return { getMigrations: async () => Object.fromEntries(listMigrations(options)) };
}

/**
 * Runs the pending migrations; Kysely records them in `kysely_migration` and serialises concurrent runs (SQLite:
 * the caller's BEGIN IMMEDIATE; PostgreSQL: a session advisory lock, each run in one transaction).
 * `migrationTableSchema` keeps the bookkeeping tables in a PostgreSQL schema of their own when the store has one.
 */
export async function migrateToLatest(
  database: Kysely<unknown>,
  options: SchemaOptions,
  migrationTableSchema?: string | undefined,
): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db: database,
    provider: createMigrationProvider(options),
    ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }),
  });
  return migrator.migrateToLatest();
}
