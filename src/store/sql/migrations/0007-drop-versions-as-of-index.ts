import type { Kysely } from 'kysely';

/**
 * Drops `context_versions_as_of` (tenant, key, created_at, version). Every version paid for it with one more
 * randomly placed index page per commit (about a fifth of the durable write throughput on SQLite), while an
 * `asOf` read finds its answer on the primary key just as well: it walks the key's versions from the newest
 * down and stops at the first one created at or before the instant.
 */
export async function dropVersionsAsOfIndex(database: Kysely<unknown>): Promise<void> {
  await database.schema.dropIndex('context_versions_as_of').ifExists().execute();
}
