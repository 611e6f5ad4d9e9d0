import { type Kysely, sql } from 'kysely';
import type { SchemaOptions } from './schema-options.js';

/** Tenants, versioned context documents with their head pointers, updates, API keys, idempotency records. */
export async function createInitialSchema(
  database: Kysely<unknown>,
  { jsonColumnType: json, compositeKeyTableSuffix, textCollation }: SchemaOptions,
) {
  const { schema } = database;
  const suffix = sql.raw(compositeKeyTableSuffix);
  // SQLite gets exactly the DDL it always had; PostgreSQL compares keys by code point, like SQLite.
  const text = textCollation === undefined ? 'text' : sql`text collate ${sql.id(textCollation)}`;

  await schema
    .createTable('tenants')
    .addColumn('id', text, (column) => column.primaryKey())
    .addColumn('name', text, (column) => column.notNull())
    .addColumn('facets', json, (column) => column.notNull())
    .addColumn('policy', json, (column) => column.notNull())
    .addColumn('created_at', text, (column) => column.notNull())
    .execute();

  await schema
    .createTable('context_versions')
    .addColumn('tenant_id', text, (column) => column.notNull())
    .addColumn('key', text, (column) => column.notNull())
    .addColumn('version', 'integer', (column) => column.notNull())
    .addColumn('value', json, (column) => column.notNull())
    .addColumn('deleted', 'integer', (column) => column.notNull())
    .addColumn('content_hash', text, (column) => column.notNull())
    .addColumn('source', text, (column) => column.notNull())
    .addColumn('author', text, (column) => column.notNull())
    .addColumn('created_at', text, (column) => column.notNull())
    .addColumn('parent_version', 'integer')
    .addColumn('update_id', text, (column) => column.notNull())
    .addPrimaryKeyConstraint('context_versions_pk', ['tenant_id', 'key', 'version'])
    .addForeignKeyConstraint('context_versions_tenant_fk', ['tenant_id'], 'tenants', ['id'])
    .modifyEnd(suffix)
    .execute();
  await schema
    .createIndex('context_versions_as_of')
    .on('context_versions')
    .columns(['tenant_id', 'key', 'created_at', 'version'])
    .execute();

  await schema
    .createTable('context_heads')
    .addColumn('tenant_id', text, (column) => column.notNull())
    .addColumn('key', text, (column) => column.notNull())
    .addColumn('version', 'integer', (column) => column.notNull())
    .addColumn('deleted', 'integer', (column) => column.notNull())
    .addColumn('updated_at', text, (column) => column.notNull())
    .addPrimaryKeyConstraint('context_heads_pk', ['tenant_id', 'key'])
    .addForeignKeyConstraint('context_heads_tenant_fk', ['tenant_id'], 'tenants', ['id'])
    .modifyEnd(suffix)
    .execute();

  await schema
    .createTable('context_updates')
    .addColumn('id', text, (column) => column.primaryKey())
    .addColumn('tenant_id', text, (column) => column.notNull())
    .addColumn('key', text, (column) => column.notNull())
    .addColumn('op', text, (column) => column.notNull())
    .addColumn('payload', json, (column) => column.notNull())
    .addColumn('source', text, (column) => column.notNull())
    .addColumn('confidence', 'double precision')
    .addColumn('author', text, (column) => column.notNull())
    .addColumn('comment', text)
    .addColumn('status', text, (column) => column.notNull())
    .addColumn('flags', json, (column) => column.notNull())
    .addColumn('review_reasons', json, (column) => column.notNull())
    .addColumn('content_hash', text, (column) => column.notNull())
    .addColumn('created_at', text, (column) => column.notNull())
    .addColumn('reviewed_by', text)
    .addColumn('reviewed_at', text)
    .addColumn('review_note', text)
    .addColumn('applied_version', 'integer')
    .addColumn('reason', text)
    .addForeignKeyConstraint('context_updates_tenant_fk', ['tenant_id'], 'tenants', ['id'])
    .execute();
  const updateIndexes: Record<string, string[]> = {
    context_updates_by_tenant_status: ['tenant_id', 'status', 'created_at', 'id'],
    context_updates_by_status: ['status', 'created_at', 'id'],
  };
  for (const [name, columns] of Object.entries(updateIndexes)) {
    await schema.createIndex(name).on('context_updates').columns(columns).execute();
  }

  await schema
    .createTable('api_keys')
    .addColumn('id', text, (column) => column.primaryKey())
    .addColumn('tenant_id', text)
    .addColumn('role', text, (column) => column.notNull())
    .addColumn('name', text, (column) => column.notNull())
    .addColumn('secret_hash', text, (column) => column.notNull())
    .addColumn('created_at', text, (column) => column.notNull())
    .addForeignKeyConstraint('api_keys_tenant_fk', ['tenant_id'], 'tenants', ['id'])
    .execute();
  await schema.createIndex('api_keys_by_tenant').on('api_keys').columns(['tenant_id', 'id']).execute();

  await schema
    .createTable('idempotency')
    .addColumn('scope', text, (column) => column.notNull())
    .addColumn('key', text, (column) => column.notNull())
    .addColumn('request_hash', text, (column) => column.notNull())
    .addColumn('response', json)
    .addColumn('created_at', text, (column) => column.notNull())
    .addPrimaryKeyConstraint('idempotency_pk', ['scope', 'key'])
    .execute();
  await schema.createIndex('idempotency_by_created_at').on('idempotency').column('created_at').execute();
}
