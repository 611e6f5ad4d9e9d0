import { type Kysely, sql } from 'kysely';
import { createVectorExtensionIfAvailable } from './0002-vector-extension.js';
import type { SchemaOptions } from './schema-options.js';

/** pgvector's HNSW indexes `vector` up to this many dimensions; longer embeddings are scanned exactly. */
export const HNSW_MAX_DIMENSIONS = 2000;

/**
 * pgvector's names qualified with the schema it is installed in (a store with its own schema has only that schema
 * on its search_path): the type, its functions, the cosine operator and operator class.
 */
export function pgvectorNames(schema: string) {
  const prefix = `"${schema.replaceAll('"', '""')}".`;
  return {
    vector: (dimensions: number) => `${prefix}vector(${dimensions})`,
    dims: `${prefix}vector_dims`,
    cosineDistance: `OPERATOR(${prefix}<=>)`,
    cosineOps: `${prefix}vector_cosine_ops`,
    type: `${prefix}vector`,
  };
}

/** The partial HNSW index (cosine) over the chunks whose embeddings have `dimensions` dimensions. */
export function hnswIndexSql(schema: string, dimensions: number): string {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > HNSW_MAX_DIMENSIONS) {
    throw new RangeError(`No HNSW index for ${dimensions} dimensions.`);
  }
  const names = pgvectorNames(schema);
  return (
    `CREATE INDEX IF NOT EXISTS knowledge_chunks_hnsw_${dimensions} ON knowledge_chunks ` +
    `USING hnsw ((embedding::${names.vector(dimensions)}) ${names.cosineOps}) WHERE ${names.dims}(embedding) = ${dimensions}`
  );
}

/**
 * Knowledge search at scale: a cl100k_base token count per chunk beside the o200k_base one (NULL for chunks written
 * before), and on PostgreSQL with pgvector, embeddings as `vector` with a partial HNSW index per dimension count
 * (the store adds the index of a new dimension count on its first write). Without pgvector the column stays real[].
 */
export async function upgradeKnowledgeSearch(database: Kysely<unknown>, { backend }: SchemaOptions): Promise<void> {
  await database.schema.alterTable('knowledge_chunks').addColumn('tokens_cl100k', 'integer').execute();
  if (backend !== 'postgres' || !(await createVectorExtensionIfAvailable(database))) return;
  const installed = await sql<{ schema: string }>`
    select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'vector'`.execute(
    database,
  );
  const schema = installed.rows[0]?.schema;
  if (schema === undefined) return;
  const names = pgvectorNames(schema);
  await sql
    .raw(`alter table knowledge_chunks alter column embedding type ${names.type} using embedding::${names.type}`)
    .execute(database);
  const dimensions = await sql<{ dimensions: number }>`
    select distinct ${sql.raw(names.dims)}(embedding) as dimensions from knowledge_chunks where embedding is not null`.execute(
    database,
  );
  for (const { dimensions: count } of dimensions.rows) {
    if (count <= HNSW_MAX_DIMENSIONS) await sql.raw(hnswIndexSql(schema, count)).execute(database);
  }
}
