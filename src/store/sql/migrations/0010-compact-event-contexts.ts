import { type Kysely, sql } from 'kysely';
import { epochMsOf, idKeyOf, refKeyOf } from '../event-context-keys.js';
import type { SchemaOptions } from './schema-options.js';

const OLD_INDEXES = [
  'event_contexts_by_correlation',
  'event_contexts_by_event_id',
  'event_contexts_by_agent',
  'event_contexts_by_session',
  'event_contexts_by_name',
  'event_contexts_by_time',
];

const COPY_BATCH = 500;

interface OldRow {
  tenant_id: string;
  ref: string;
  event_name: string;
  event_id: string;
  correlation_id: string;
  parent_event_id: string | null;
  root_event_id: string;
  depth: number;
  agent_id: string | null;
  client_id: string | null;
  session_id: string | null;
  originator: string | null;
  ts: string;
  trace_id: string;
  span_id: string;
  custom: string;
  data: string | null;
}

/**
 * The cold tier with compact indexes (0004 rebuilt). Each engine event (one per durable context write) paid for six
 * index entries of 40–130 bytes, three of them at random places (ref, event id, correlation id): about three
 * randomly placed pages per event written to the WAL and again at checkpoint, which halved SQLite's durable write
 * throughput. Now: the reference's 12 hash bytes (unique per tenant: the hash covers the tenant, the event name and
 * the context, so it is the content address), 53-bit hashes of the event and correlation ids (queries compare the
 * ids too), and the time as integer milliseconds (contexts carry canonical ISO instants, so it round-trips exactly).
 * Results are still ordered by (time, ref); the indexes end in the time and the database sorts ties by ref.
 */
export async function compactEventContexts(database: Kysely<unknown>, options: SchemaOptions): Promise<void> {
  const { schema } = database;
  const postgres = options.backend === 'postgres';
  const text = options.textCollation === undefined ? 'text' : sql`text collate ${sql.id(options.textCollation)}`;
  for (const name of OLD_INDEXES) await schema.dropIndex(name).ifExists().execute();
  await schema.alterTable('event_contexts').renameTo('event_contexts_0004').execute();
  await schema
    .createTable('event_contexts')
    .addColumn('tenant_id', text, (column) => column.notNull())
    .addColumn('ref', text, (column) => column.notNull())
    .addColumn('ref_key', postgres ? 'bytea' : 'blob', (column) => column.notNull())
    .addColumn('event_name', text, (column) => column.notNull())
    .addColumn('event_id', text, (column) => column.notNull())
    .addColumn('event_key', 'bigint', (column) => column.notNull())
    .addColumn('correlation_id', text, (column) => column.notNull())
    .addColumn('correlation_key', 'bigint', (column) => column.notNull())
    .addColumn('parent_event_id', text)
    .addColumn('root_event_id', text, (column) => column.notNull())
    .addColumn('depth', 'integer', (column) => column.notNull())
    .addColumn('agent_id', text)
    .addColumn('client_id', text)
    .addColumn('session_id', text)
    .addColumn('originator', text)
    .addColumn('ts', 'bigint', (column) => column.notNull())
    .addColumn('trace_id', text, (column) => column.notNull())
    .addColumn('span_id', text, (column) => column.notNull())
    .addColumn('custom', options.jsonColumnType, (column) => column.notNull())
    .addColumn('data', options.jsonColumnType)
    .execute();
  await schema.createIndex('event_contexts_by_ref').unique().on('event_contexts').columns(['tenant_id', 'ref_key']).execute();
  const indexes: Record<string, string[]> = {
    event_contexts_by_event_key: ['tenant_id', 'event_key', 'ts'],
    event_contexts_by_correlation_key: ['tenant_id', 'correlation_key', 'ts'],
    event_contexts_by_agent_ts: ['tenant_id', 'agent_id', 'ts'],
    event_contexts_by_session_ts: ['tenant_id', 'session_id', 'ts'],
    event_contexts_by_name_ts: ['tenant_id', 'event_name', 'ts'],
    event_contexts_by_ts: ['tenant_id', 'ts'],
  };
  // agent and session ids are optional (the engine's own events have neither): only rows that have one are indexed
  const partial: Record<string, string> = { event_contexts_by_agent_ts: 'agent_id', event_contexts_by_session_ts: 'session_id' };
  for (const [name, columns] of Object.entries(indexes)) {
    const only = partial[name];
    const index = schema.createIndex(name).on('event_contexts').columns(columns);
    await (only === undefined ? index : index.where(sql.ref(only), 'is not', null)).execute();
  }
  await copyRows(database);
  await schema.dropTable('event_contexts_0004').execute();
}

async function copyRows(database: Kysely<unknown>): Promise<void> {
  let after: [string, string] | undefined;
  for (;;) {
    const where =
      after === undefined ? sql`` : sql`WHERE tenant_id > ${after[0]} OR (tenant_id = ${after[0]} AND ref > ${after[1]})`;
    const { rows } = await sql<OldRow>`
      SELECT tenant_id, ref, event_name, event_id, correlation_id, parent_event_id, root_event_id, depth, agent_id,
        client_id, session_id, originator, ts, trace_id, span_id, CAST(custom AS TEXT) AS custom, CAST(data AS TEXT) AS data
      FROM event_contexts_0004 ${where} ORDER BY tenant_id, ref LIMIT ${COPY_BATCH}`.execute(database);
    const last = rows.at(-1);
    if (last === undefined) return;
    const values = rows.map(
      (row) =>
        sql`(${sql.join([
          row.tenant_id,
          row.ref,
          refKeyOf(row.ref),
          row.event_name,
          row.event_id,
          idKeyOf(row.event_id),
          row.correlation_id,
          idKeyOf(row.correlation_id),
          row.parent_event_id,
          row.root_event_id,
          row.depth,
          row.agent_id,
          row.client_id,
          row.session_id,
          row.originator,
          epochMsOf(row.ts),
          row.trace_id,
          row.span_id,
          row.custom,
          row.data,
        ])})`,
    );
    await sql`INSERT INTO event_contexts (tenant_id, ref, ref_key, event_name, event_id, event_key, correlation_id,
        correlation_key, parent_event_id, root_event_id, depth, agent_id, client_id, session_id, originator, ts, trace_id,
        span_id, custom, data) VALUES ${sql.join(values)} ON CONFLICT (tenant_id, ref_key) DO NOTHING`.execute(database);
    after = [last.tenant_id, last.ref];
  }
}
