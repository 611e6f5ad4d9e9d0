import { type Kysely, sql } from 'kysely';
import type { SchemaOptions } from './schema-options.js';

/** The text columns of event_contexts whose UTF-8 bytes `eventRecordBytes` counts (custom and data as JSON text). */
const TEXT_COLUMNS = [
  'tenant_id',
  'ref',
  'event_name',
  'event_id',
  'correlation_id',
  'parent_event_id',
  'root_event_id',
  'agent_id',
  'client_id',
  'session_id',
  'originator',
  'trace_id',
  'span_id',
  'custom',
  'data',
];

/**
 * Issue 4's cold-tier size: per tenant, how many contexts are stored and their approximate bytes, kept by every
 * insert in the same transaction (a stats call reads one row instead of counting). Filled from the rows already
 * there: the same sum of column bytes as `eventRecordBytes` (PostgreSQL's JSON text may space a little differently).
 */
export async function createEventContextTotals(database: Kysely<unknown>, { backend, textCollation }: SchemaOptions) {
  const text = textCollation === undefined ? 'text' : sql`text collate ${sql.id(textCollation)}`;
  await database.schema
    .createTable('event_context_totals')
    .addColumn('tenant_id', text, (column) => column.primaryKey())
    .addColumn('events', 'bigint', (column) => column.notNull())
    .addColumn('bytes', 'bigint', (column) => column.notNull())
    .execute();
  const length = (column: string) =>
    backend === 'postgres' ? `coalesce(octet_length(${column}::text), 0)` : `coalesce(length(CAST(${column} AS BLOB)), 0)`;
  const bytes = `44 + ${TEXT_COLUMNS.map(length).join(' + ')}`;
  await sql
    .raw(
      `INSERT INTO event_context_totals (tenant_id, events, bytes) ` +
        `SELECT tenant_id, count(*), sum(${bytes}) FROM event_contexts GROUP BY tenant_id`,
    )
    .execute(database);
}
