import { type Kysely, sql } from 'kysely';
import type { SchemaOptions } from './schema-options.js';

/**
 * Knowledge (seed 002): one row per chunk (item fields copied into each, so that searches scan one table), a
 * per-tenant row with the generation and the corpus statistics BM25 needs, and the lexical index: an FTS5 table
 * (contentless, rowid = chunk seq) in SQLite, a tsvector column with a GIN index in PostgreSQL. Embeddings are a
 * float32 BLOB in SQLite (sqlite-vec's functions read it) and a real[] in PostgreSQL.
 */
export async function createKnowledgeTables(
  database: Kysely<unknown>,
  { backend, jsonColumnType: json, textCollation }: SchemaOptions,
) {
  const { schema } = database;
  const text = textCollation === undefined ? 'text' : sql`text collate ${sql.id(textCollation)}`;
  const postgres = backend === 'postgres';

  await schema
    .createTable('knowledge_tenants')
    .addColumn('tenant_id', text, (column) => column.primaryKey())
    .addColumn('generation', 'bigint', (column) => column.notNull())
    .addColumn('items', 'bigint', (column) => column.notNull())
    .addColumn('chunks', 'bigint', (column) => column.notNull())
    .addColumn('terms', 'bigint', (column) => column.notNull())
    .addForeignKeyConstraint('knowledge_tenants_tenant_fk', ['tenant_id'], 'tenants', ['id'])
    .execute();

  let chunks = schema
    .createTable('knowledge_chunks')
    .addColumn('seq', postgres ? 'bigint' : 'integer', (column) =>
      postgres ? column.primaryKey().generatedAlwaysAsIdentity() : column.primaryKey(),
    )
    .addColumn('tenant_id', text, (column) => column.notNull())
    .addColumn('item_id', text, (column) => column.notNull())
    .addColumn('chunk_index', 'integer', (column) => column.notNull())
    .addColumn('text', text, (column) => column.notNull())
    .addColumn('tokens', 'integer', (column) => column.notNull())
    .addColumn('term_count', 'integer', (column) => column.notNull())
    .addColumn('metadata', json, (column) => column.notNull())
    .addColumn('date_index', json, (column) => column.notNull())
    .addColumn('milestone', text)
    .addColumn('created_at', text, (column) => column.notNull())
    .addColumn('embedder', text, (column) => column.notNull())
    // NULL for a text without features (a zero vector): such a chunk never matches a vector search.
    .addColumn('embedding', postgres ? sql`real[]` : 'blob');
  if (postgres) chunks = chunks.addColumn('tsv', sql`tsvector`, (column) => column.notNull());
  await chunks.addForeignKeyConstraint('knowledge_chunks_tenant_fk', ['tenant_id'], 'tenants', ['id']).execute();
  await schema
    .createIndex('knowledge_chunks_by_item')
    .on('knowledge_chunks')
    .columns(['tenant_id', 'item_id', 'chunk_index'])
    .unique()
    .execute();

  if (postgres) {
    await schema.createIndex('knowledge_chunks_tsv').on('knowledge_chunks').using('gin').column('tsv').execute();
  } else {
    await sql`create virtual table knowledge_fts using fts5(terms, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')`.execute(
      database,
    );
    await sql`create virtual table knowledge_fts_vocab using fts5vocab(knowledge_fts, 'row')`.execute(database);
  }
}
