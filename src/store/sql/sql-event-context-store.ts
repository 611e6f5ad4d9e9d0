import type { EventRecord } from '../../core/event-context.js';
import type { JsonValue } from '../../core/json.js';
import type { Page } from '../../core/page.js';
import { eventCursorOf, normalizeEventQuery } from '../event-context-query.js';
import type { EventContextQuery, EventContextStore } from '../event-context-store.js';
import { toPage } from '../page-request.js';
import { selectInChunks } from './multi-row.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlDatabase, SqlExecutor, SqlParameter } from './sql-executor.js';
import type { WriteQueue } from './write-queue.js';

interface EventContextRow {
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
  custom: unknown;
  data: unknown;
}

const COLUMNS =
  'tenant_id, ref, event_name, event_id, correlation_id, parent_event_id, root_event_id, depth, agent_id, client_id, ' +
  'session_id, originator, ts, trace_id, span_id, custom, data';
const COLUMN_COUNT = 17;
const CHUNK_SIZES = [64, 16, 4, 1] as const;

/** Query filters and the columns they compare. */
const FILTER_COLUMNS = {
  correlationId: 'correlation_id',
  eventId: 'event_id',
  agentId: 'agent_id',
  sessionId: 'session_id',
  eventName: 'event_name',
} as const;

/** The cold tier on SQLite or PostgreSQL: batched multi-row inserts through the write queue, indexed reads. */
export class SqlEventContextStore implements EventContextStore {
  readonly #reader: SqlExecutor;
  readonly #writes: WriteQueue;
  readonly #dialect: SqlDialect;

  constructor(database: SqlDatabase, writes: WriteQueue) {
    this.#reader = database.reader;
    this.#writes = writes;
    this.#dialect = database.dialect;
  }

  putMany(records: readonly EventRecord[]): Promise<number> {
    const unique = [...new Map(records.map((record) => [`${record.tenantId}\u0000${record.ref}`, record])).values()];
    if (unique.length === 0) return Promise.resolve(0);
    const rows = unique.map((record) => this.#toRow(record));
    return this.#writes.enqueue(async (transaction) => {
      let inserted = 0;
      let start = 0;
      while (start < rows.length) {
        const size = CHUNK_SIZES.find((candidate) => candidate <= rows.length - start) ?? 1;
        const values = Array(size)
          .fill(`(${Array(COLUMN_COUNT).fill('?').join(', ')})`)
          .join(', ');
        const result = await transaction.run(
          `INSERT INTO event_contexts (${COLUMNS}) VALUES ${values} ON CONFLICT (tenant_id, ref) DO NOTHING`,
          rows.slice(start, start + size).flat(),
        );
        inserted += result.changes;
        start += size;
      }
      return inserted;
    });
  }

  async get(tenantId: string, ref: string): Promise<EventRecord | undefined> {
    const row = await this.#reader.get<EventContextRow>(`SELECT ${COLUMNS} FROM event_contexts WHERE tenant_id = ? AND ref = ?`, [
      tenantId,
      ref,
    ]);
    return row === undefined ? undefined : this.#toRecord(row);
  }

  async getMany(tenantId: string, refs: readonly string[]): Promise<EventRecord[]> {
    const rows = await selectInChunks([...new Set(refs)], (chunk) =>
      this.#reader.all<EventContextRow>(
        `SELECT ${COLUMNS} FROM event_contexts WHERE tenant_id = ? AND ref IN (${chunk.map(() => '?').join(', ')})`,
        [tenantId, ...chunk],
      ),
    );
    return rows.map((row) => this.#toRecord(row));
  }

  async query(tenantId: string, query: EventContextQuery): Promise<Page<EventRecord>> {
    const { filters, since, until, after, limit } = normalizeEventQuery(query);
    const where = ['tenant_id = ?'];
    const parameters: SqlParameter[] = [tenantId];
    for (const [field, column] of Object.entries(FILTER_COLUMNS)) {
      const value = filters[field as keyof typeof FILTER_COLUMNS];
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      parameters.push(value);
    }
    if (since !== undefined) {
      where.push('ts >= ?');
      parameters.push(since);
    }
    if (until !== undefined) {
      where.push('ts < ?');
      parameters.push(until);
    }
    if (after !== undefined) {
      where.push('(ts > ? OR (ts = ? AND ref > ?))');
      parameters.push(after[0], after[0], after[1]);
    }
    parameters.push(limit + 1);
    const rows = await this.#reader.all<EventContextRow>(
      `SELECT ${COLUMNS} FROM event_contexts WHERE ${where.join(' AND ')} ORDER BY ts, ref LIMIT ?`,
      parameters,
    );
    return toPage(
      rows.map((row) => this.#toRecord(row)),
      limit,
      eventCursorOf,
    );
  }

  async count(tenantId: string): Promise<number> {
    const row = await this.#reader.get<{ total: number | string }>(
      'SELECT count(*) AS total FROM event_contexts WHERE tenant_id = ?',
      [tenantId],
    );
    return Number(row?.total ?? 0);
  }

  #toRow(record: EventRecord): SqlParameter[] {
    const { context } = record;
    return [
      record.tenantId,
      record.ref,
      record.event,
      context.eventId,
      context.correlationId,
      context.parentEventId,
      context.rootEventId,
      context.depth,
      context.agentId,
      context.clientId,
      context.sessionId,
      context.originator,
      context.timestamp,
      context.traceId,
      context.spanId,
      this.#dialect.encodeJson(context.custom),
      record.data === null ? null : this.#dialect.encodeJson(record.data),
    ];
  }

  #toRecord(row: EventContextRow): EventRecord {
    return {
      tenantId: row.tenant_id,
      ref: row.ref,
      event: row.event_name,
      context: {
        eventId: row.event_id,
        correlationId: row.correlation_id,
        parentEventId: row.parent_event_id,
        rootEventId: row.root_event_id,
        depth: Number(row.depth),
        agentId: row.agent_id,
        clientId: row.client_id,
        sessionId: row.session_id,
        originator: row.originator,
        timestamp: row.ts,
        traceId: row.trace_id,
        spanId: row.span_id,
        custom: this.#dialect.decodeJson(row.custom) as { [key: string]: JsonValue },
      },
      data: row.data === null ? null : (this.#dialect.decodeJson(row.data) as JsonValue),
    };
  }
}
