import { type Kysely, sql } from 'kysely';
import type { SchemaOptions } from './schema-options.js';

/** Issue 6: the injection rules of each tenant, one versioned row. */
export async function createInjectionRules(database: Kysely<unknown>, { jsonColumnType: json, textCollation }: SchemaOptions) {
  const text = textCollation === undefined ? 'text' : sql`text collate ${sql.id(textCollation)}`;
  await database.schema
    .createTable('injection_rules')
    .addColumn('tenant_id', text, (column) => column.primaryKey())
    .addColumn('rules', json, (column) => column.notNull())
    .addColumn('version', 'integer', (column) => column.notNull())
    .addColumn('updated_at', text, (column) => column.notNull())
    .addForeignKeyConstraint('injection_rules_tenant_fk', ['tenant_id'], 'tenants', ['id'])
    .execute();
}
