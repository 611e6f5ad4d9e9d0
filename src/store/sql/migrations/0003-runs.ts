import { type Kysely, sql } from 'kysely';
import type { SchemaOptions } from './schema-options.js';

/**
 * Runs (seed 001): one row per run, and one version line per (run, phase), so that parallel phase writers never
 * write the same row. Rows can hold large JSON, so neither table is WITHOUT ROWID in SQLite.
 */
export async function createRunTables(database: Kysely<unknown>, { jsonColumnType: json, textCollation }: SchemaOptions) {
  const { schema } = database;
  const text = textCollation === undefined ? 'text' : sql`text collate ${sql.id(textCollation)}`;

  await schema
    .createTable('runs')
    .addColumn('tenant_id', text, (column) => column.notNull())
    .addColumn('id', text, (column) => column.notNull())
    .addColumn('template', text)
    .addColumn('phase_names', json, (column) => column.notNull())
    .addColumn('target_path', text, (column) => column.notNull())
    .addColumn('focus_areas', json, (column) => column.notNull())
    .addColumn('status', text, (column) => column.notNull())
    .addColumn('current_phase', text)
    .addColumn('error_log', json, (column) => column.notNull())
    .addColumn('metadata', json, (column) => column.notNull())
    .addColumn('created_at', text, (column) => column.notNull())
    .addColumn('updated_at', text, (column) => column.notNull())
    .addColumn('finished_at', text)
    .addColumn('revision', 'integer', (column) => column.notNull())
    .addPrimaryKeyConstraint('runs_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('runs_tenant_fk', ['tenant_id'], 'tenants', ['id'])
    .execute();
  await schema.createIndex('runs_by_created_at').on('runs').columns(['tenant_id', 'created_at', 'id']).execute();
  await schema.createIndex('runs_by_finished_at').on('runs').columns(['tenant_id', 'status', 'finished_at']).execute();
  await schema.createIndex('runs_finished_at').on('runs').columns(['finished_at']).execute();

  await schema
    .createTable('run_phase_versions')
    .addColumn('tenant_id', text, (column) => column.notNull())
    .addColumn('run_id', text, (column) => column.notNull())
    .addColumn('phase', text, (column) => column.notNull())
    .addColumn('version', 'integer', (column) => column.notNull())
    .addColumn('data', json, (column) => column.notNull())
    .addColumn('content_hash', text, (column) => column.notNull())
    .addColumn('size_bytes', 'integer', (column) => column.notNull())
    .addColumn('author', text, (column) => column.notNull())
    .addColumn('created_at', text, (column) => column.notNull())
    .addPrimaryKeyConstraint('run_phase_versions_pk', ['tenant_id', 'run_id', 'phase', 'version'])
    .addForeignKeyConstraint('run_phase_versions_run_fk', ['tenant_id', 'run_id'], 'runs', ['tenant_id', 'id'], (constraint) =>
      constraint.onDelete('cascade'),
    )
    .execute();
}
