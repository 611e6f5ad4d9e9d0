import { type Kysely, sql } from 'kysely';
import type { SchemaOptions } from './schema-options.js';

/** Issue 5: sessions, milestone graphs and completions, assembly records and their item snapshots. */
export async function createAssemblySchema(
  database: Kysely<unknown>,
  { jsonColumnType: json, compositeKeyTableSuffix, textCollation }: SchemaOptions,
) {
  const { schema } = database;
  const suffix = sql.raw(compositeKeyTableSuffix);
  const text = textCollation === undefined ? 'text' : sql`text collate ${sql.id(textCollation)}`;

  await schema
    .createTable('session_heads')
    .addColumn('tenant_id', text, (column) => column.notNull())
    .addColumn('session_id', text, (column) => column.notNull())
    .addColumn('generation', 'integer', (column) => column.notNull())
    .addColumn('next_seq', 'integer', (column) => column.notNull())
    .addColumn('expires_at', text, (column) => column.notNull())
    .addPrimaryKeyConstraint('session_heads_pk', ['tenant_id', 'session_id'])
    .addForeignKeyConstraint('session_heads_tenant_fk', ['tenant_id'], 'tenants', ['id'])
    .modifyEnd(suffix)
    .execute();
  await schema.createIndex('session_heads_by_expiry').on('session_heads').column('expires_at').execute();

  await schema
    .createTable('session_messages')
    .addColumn('tenant_id', text, (column) => column.notNull())
    .addColumn('session_id', text, (column) => column.notNull())
    .addColumn('seq', 'integer', (column) => column.notNull())
    .addColumn('id', text, (column) => column.notNull())
    .addColumn('role', text, (column) => column.notNull())
    .addColumn('content', text, (column) => column.notNull())
    .addColumn('metadata', json, (column) => column.notNull())
    .addColumn('tokens', json, (column) => column.notNull())
    .addColumn('created_at', text, (column) => column.notNull())
    .addPrimaryKeyConstraint('session_messages_pk', ['tenant_id', 'session_id', 'seq'])
    .addForeignKeyConstraint('session_messages_tenant_fk', ['tenant_id'], 'tenants', ['id'])
    .modifyEnd(suffix)
    .execute();

  await schema
    .createTable('journey_graphs')
    .addColumn('tenant_id', text, (column) => column.primaryKey())
    .addColumn('milestones', json, (column) => column.notNull())
    .addColumn('version', 'integer', (column) => column.notNull())
    .addColumn('updated_at', text, (column) => column.notNull())
    .addForeignKeyConstraint('journey_graphs_tenant_fk', ['tenant_id'], 'tenants', ['id'])
    .execute();

  await schema
    .createTable('journey_users')
    .addColumn('tenant_id', text, (column) => column.notNull())
    .addColumn('user_id', text, (column) => column.notNull())
    .addColumn('generation', 'integer', (column) => column.notNull())
    .addPrimaryKeyConstraint('journey_users_pk', ['tenant_id', 'user_id'])
    .addForeignKeyConstraint('journey_users_tenant_fk', ['tenant_id'], 'tenants', ['id'])
    .modifyEnd(suffix)
    .execute();

  await schema
    .createTable('milestone_completions')
    .addColumn('tenant_id', text, (column) => column.notNull())
    .addColumn('user_id', text, (column) => column.notNull())
    .addColumn('milestone', text, (column) => column.notNull())
    .addColumn('data', json, (column) => column.notNull())
    .addColumn('key_decisions', json, (column) => column.notNull())
    .addColumn('tokens', json, (column) => column.notNull())
    .addColumn('revision', 'integer', (column) => column.notNull())
    .addColumn('generation', 'integer', (column) => column.notNull())
    .addColumn('completed_at', text, (column) => column.notNull())
    .addPrimaryKeyConstraint('milestone_completions_pk', ['tenant_id', 'user_id', 'milestone'])
    .addForeignKeyConstraint('milestone_completions_tenant_fk', ['tenant_id'], 'tenants', ['id'])
    .modifyEnd(suffix)
    .execute();

  await schema
    .createTable('assemblies')
    .addColumn('tenant_id', text, (column) => column.notNull())
    .addColumn('id', text, (column) => column.notNull())
    .addColumn('created_at', text, (column) => column.notNull())
    .addColumn('record', json, (column) => column.notNull())
    .addPrimaryKeyConstraint('assemblies_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('assemblies_tenant_fk', ['tenant_id'], 'tenants', ['id'])
    .modifyEnd(suffix)
    .execute();
  await schema.createIndex('assemblies_by_created_at').on('assemblies').column('created_at').execute();

  await schema
    .createTable('assembly_items')
    .addColumn('tenant_id', text, (column) => column.notNull())
    .addColumn('hash', text, (column) => column.notNull())
    .addColumn('payload', json, (column) => column.notNull())
    .addColumn('last_used_at', text, (column) => column.notNull())
    .addPrimaryKeyConstraint('assembly_items_pk', ['tenant_id', 'hash'])
    .addForeignKeyConstraint('assembly_items_tenant_fk', ['tenant_id'], 'tenants', ['id'])
    .modifyEnd(suffix)
    .execute();
  await schema.createIndex('assembly_items_by_last_use').on('assembly_items').column('last_used_at').execute();
}
