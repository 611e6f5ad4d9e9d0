import { type Kysely, sql } from 'kysely';

/**
 * PostgreSQL only: creates the pgvector extension when the server has it, for vector search. A server without it
 * is not an error: the migration records itself and warns once; a later migration that needs vectors runs
 * `createVectorExtensionIfAvailable` again (it is idempotent), so installing pgvector afterwards is enough.
 * Runs inside the migration transaction, so a refused CREATE EXTENSION is contained in a savepoint.
 */
export async function createVectorExtensionIfAvailable(database: Kysely<unknown>): Promise<boolean> {
  const available = await sql<{ installed: string | null }>`
    select installed_version as installed from pg_available_extensions where name = 'vector'`.execute(database);
  const row = available.rows[0];
  if (row === undefined) {
    warnOnce('the PostgreSQL server has no pgvector extension (vector); vector search stays unavailable until it is installed');
    return false;
  }
  if (row.installed !== null) return true;
  await sql`savepoint vector_extension`.execute(database);
  try {
    await sql`create extension if not exists vector`.execute(database);
    await sql`release savepoint vector_extension`.execute(database);
    return true;
  } catch (error) {
    await sql`rollback to savepoint vector_extension`.execute(database);
    await sql`release savepoint vector_extension`.execute(database);
    const reason = error instanceof Error ? error.message : String(error);
    warnOnce(`CREATE EXTENSION vector failed (${reason}); vector search stays unavailable`);
    return false;
  }
}

let warned = false;

function warnOnce(message: string): void {
  if (warned) return;
  warned = true;
  process.emitWarning(message, { code: 'CTX_PGVECTOR_UNAVAILABLE' });
}
