import type { Kysely } from 'kysely';

/**
 * Issue 5: a document version's token counts (its value as the assembler renders it, o200k_base and cl100k_base),
 * counted once when the version is written. Older versions keep nulls: the assembler counts those itself.
 */
export async function addVersionTokenCounts(database: Kysely<unknown>): Promise<void> {
  for (const column of ['tokens_o200k', 'tokens_cl100k']) {
    await database.schema.alterTable('context_versions').addColumn(column, 'integer').execute();
  }
}
