import { type Kysely, sql } from 'kysely';
import type { SchemaOptions } from './schema-options.js';

/**
 * The cold tier of event contexts (seed 004): one row per (tenant, ref), with the context's fields as columns so
 * that every lookup the gateway offers has an index — correlation id, event id, agent id, session id, event name and
 * time, each after the tenant (every query is tenant-scoped) and ending in (ts, ref), the order results are paged in.
 */
export async function createEventContexts(database: Kysely<unknown>, { jsonColumnType: json, textCollation }: SchemaOptions) {
  const { schema } = database;
  const text = textCollation === undefined ? 'text' : sql`text collate ${sql.id(textCollation)}`;
  await schema
    .createTable('event_contexts')
    .addColumn('tenant_id', text, (column) => column.notNull())
    .addColumn('ref', text, (column) => column.notNull())
    .addColumn('event_name', text, (column) => column.notNull())
    .addColumn('event_id', text, (column) => column.notNull())
    .addColumn('correlation_id', text, (column) => column.notNull())
    .addColumn('parent_event_id', text)
    .addColumn('root_event_id', text, (column) => column.notNull())
    .addColumn('depth', 'integer', (column) => column.notNull())
    .addColumn('agent_id', text)
    .addColumn('client_id', text)
    .addColumn('session_id', text)
    .addColumn('originator', text)
    .addColumn('ts', text, (column) => column.notNull())
    .addColumn('trace_id', text, (column) => column.notNull())
    .addColumn('span_id', text, (column) => column.notNull())
    .addColumn('custom', json, (column) => column.notNull())
    .addColumn('data', json)
    .addPrimaryKeyConstraint('event_contexts_pk', ['tenant_id', 'ref'])
    .execute();
  const indexes: Record<string, string[]> = {
    event_contexts_by_correlation: ['tenant_id', 'correlation_id', 'ts', 'ref'],
    event_contexts_by_event_id: ['tenant_id', 'event_id'],
    event_contexts_by_agent: ['tenant_id', 'agent_id', 'ts', 'ref'],
    event_contexts_by_session: ['tenant_id', 'session_id', 'ts', 'ref'],
    event_contexts_by_name: ['tenant_id', 'event_name', 'ts', 'ref'],
    event_contexts_by_time: ['tenant_id', 'ts', 'ref'],
  };
  // Agent and session ids are optional (the engine's own events have neither): those two indexes hold only the rows
  // that have one, so an event without them costs two index writes fewer. `agent_id = ?` implies the condition,
  // so both SQLite and PostgreSQL use them for the gateway's queries.
  const partial: Record<string, string> = { event_contexts_by_agent: 'agent_id', event_contexts_by_session: 'session_id' };
  for (const [name, columns] of Object.entries(indexes)) {
    const only = partial[name];
    const index = schema.createIndex(name).on('event_contexts').columns(columns);
    await (only === undefined ? index : index.where(sql.ref(only), 'is not', null)).execute();
  }
}
