import { ValidationError } from '../../core/errors.js';
import type { EventRecord } from '../../core/event-context.js';
import type { JsonValue } from '../../core/json.js';
import type { Page } from '../../core/page.js';
import { eventCursorOf, normalizeEventQuery } from '../event-context-query.js';
import type { EventContextQuery, EventContextStore, EventContextStoreSize } from '../event-context-store.js';
import { eventRecordBytesOfJson } from '../event-record-bytes.js';
import { toPage } from '../page-request.js';
import { epochMsOf, idKeyOf, refKeyOf, timestampOf } from './event-context-keys.js';
import { flattenRows, selectInChunks } from './multi-row.js';
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
  ts: number | string;
  trace_id: string;
  span_id: string;
  custom: unknown;
  data: unknown;
}

/** A record ready to insert: its tenant, its size in the tenant's totals, and the values it binds. */
interface PreparedRow {
  tenantId: string;
  bytes: number;
  values: SqlParameter[];
}

const rowKeyOf = (tenantId: string, ref: string) => `${tenantId}\u0000${ref}`;

const COLUMNS =
  'tenant_id, ref, event_name, event_id, correlation_id, parent_event_id, root_event_id, depth, agent_id, client_id, ' +
  'session_id, originator, ts, trace_id, span_id, custom, data';
/** The stored columns: the read ones plus the compact lookup keys (migration 0010). */
const INSERT_COLUMNS = `${COLUMNS}, ref_key, event_key, correlation_key`;
const COLUMN_COUNT = 20;
const CHUNK_SIZES = [64, 16, 4, 1] as const;
const ROW_PLACEHOLDERS = `(${Array(COLUMN_COUNT).fill('?').join(', ')})`;
/** One INSERT per chunk size, built once. */
const INSERTS = new Map(
  CHUNK_SIZES.map((size) => [
    size,
    `INSERT INTO event_contexts (${INSERT_COLUMNS}) VALUES ${Array(size).fill(ROW_PLACEHOLDERS).join(', ')} ` +
      'ON CONFLICT (tenant_id, ref_key) DO NOTHING RETURNING tenant_id, ref',
  ]),
);
/** Adds a write's new contexts to the tenant's totals (migration 0011). */
const ADD_TOTALS =
  'INSERT INTO event_context_totals (tenant_id, events, bytes) VALUES (?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE ' +
  'SET events = event_context_totals.events + excluded.events, bytes = event_context_totals.bytes + excluded.bytes';

/** Query filters: the indexed key and the column it narrows down (ids are compared too: keys are hashes). */
const FILTERS: readonly {
  field: 'correlationId' | 'eventId' | 'agentId' | 'sessionId' | 'eventName';
  column: string;
  key?: string;
}[] = [
  { field: 'correlationId', column: 'correlation_id', key: 'correlation_key' },
  { field: 'eventId', column: 'event_id', key: 'event_key' },
  { field: 'agentId', column: 'agent_id' },
  { field: 'sessionId', column: 'session_id' },
  { field: 'eventName', column: 'event_name' },
];

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
    // one row per (tenant, ref): a repeated one is the same content (refs are content addresses)
    const byKey = new Map<string, PreparedRow>();
    for (const record of records) {
      const key = rowKeyOf(record.tenantId, record.ref);
      if (!byKey.has(key)) byKey.set(key, this.#prepare(record));
    }
    if (byKey.size === 0) return Promise.resolve(0);
    const rows = [...byKey.values()];
    const values = rows.map((row) => row.values);
    return this.#writes.enqueue(async (transaction) => {
      // per tenant: the contexts this write added (a ref already stored is not returned) and their bytes
      const added = new Map<string, { events: number; bytes: number }>();
      const count = (row: PreparedRow) => {
        const totals = added.get(row.tenantId);
        if (totals === undefined) added.set(row.tenantId, { events: 1, bytes: row.bytes });
        else {
          totals.events += 1;
          totals.bytes += row.bytes;
        }
      };
      let start = 0;
      while (start < rows.length) {
        const size = CHUNK_SIZES.find((candidate) => candidate <= rows.length - start) ?? 1;
        const inserted = await transaction.all<{ tenant_id: string; ref: string }>(
          INSERTS.get(size) as string,
          flattenRows(values, start, start + size),
        );
        // the usual case, every row new: counted without looking each one up
        if (inserted.length === size) for (let index = start; index < start + size; index++) count(rows[index] as PreparedRow);
        else {
          for (const row of inserted) {
            const prepared = byKey.get(rowKeyOf(row.tenant_id, row.ref));
            if (prepared !== undefined) count(prepared);
          }
        }
        start += size;
      }
      let inserted = 0;
      for (const [tenantId, totals] of added) {
        await transaction.run(ADD_TOTALS, [tenantId, totals.events, totals.bytes]);
        inserted += totals.events;
      }
      return inserted;
    });
  }

  async get(tenantId: string, ref: string): Promise<EventRecord | undefined> {
    const row = await this.#reader.get<EventContextRow>(
      `SELECT ${COLUMNS} FROM event_contexts WHERE tenant_id = ? AND ref_key = ? AND ref = ?`,
      [tenantId, refKeyOf(ref), ref],
    );
    return row === undefined ? undefined : this.#toRecord(row);
  }

  async getMany(tenantId: string, refs: readonly string[]): Promise<EventRecord[]> {
    const wanted = new Set(refs);
    const rows = await selectInChunks([...wanted], (chunk) =>
      this.#reader.all<EventContextRow>(
        `SELECT ${COLUMNS} FROM event_contexts WHERE tenant_id = ? AND ref_key IN (${chunk.map(() => '?').join(', ')})`,
        [tenantId, ...chunk.map(refKeyOf)],
      ),
    );
    // the keys are the refs' hashes: a ref with another prefix and the same hash is not the one asked for
    return rows.filter((row) => wanted.has(row.ref)).map((row) => this.#toRecord(row));
  }

  async query(tenantId: string, query: EventContextQuery): Promise<Page<EventRecord>> {
    const { filters, since, until, after, limit } = normalizeEventQuery(query);
    const where = ['tenant_id = ?'];
    const parameters: SqlParameter[] = [tenantId];
    for (const { field, column, key } of FILTERS) {
      const value = filters[field];
      if (value === undefined) continue;
      if (key !== undefined) {
        where.push(`${key} = ?`);
        parameters.push(idKeyOf(value));
      }
      where.push(`${column} = ?`);
      parameters.push(value);
    }
    if (since !== undefined) {
      where.push('ts >= ?');
      parameters.push(epochMsOf(since));
    }
    if (until !== undefined) {
      where.push('ts < ?');
      parameters.push(epochMsOf(until));
    }
    if (after !== undefined) {
      const at = epochMsOf(after[0]);
      if (Number.isNaN(at))
        throw new ValidationError('The cursor is not valid: pass the nextCursor of a previous page unchanged.', {
          code: 'invalid_cursor',
        });
      // `ts >= ?` first: the index range starts at the cursor instead of at the tenant's oldest event
      where.push('ts >= ? AND (ts > ? OR (ts = ? AND ref > ?))');
      parameters.push(at, at, at, after[1]);
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
    return (await this.size(tenantId)).events;
  }

  async size(tenantId: string): Promise<EventContextStoreSize> {
    const row = await this.#reader.get<{ events: number | string; bytes: number | string }>(
      'SELECT events, bytes FROM event_context_totals WHERE tenant_id = ?',
      [tenantId],
    );
    return { events: Number(row?.events ?? 0), bytes: Number(row?.bytes ?? 0) };
  }

  /**
   * The row's bound values, and its size counted from the JSON text they bind (every dialect's `encodeJson` is
   * `JSON.stringify`, the text `eventRecordBytes` counts): serialising each record once instead of twice saved about
   * a tenth of the CPU of a cold-tier insert.
   */
  #prepare(record: EventRecord): PreparedRow {
    const { context } = record;
    const custom = this.#dialect.encodeJson(context.custom);
    const data = record.data === null ? null : this.#dialect.encodeJson(record.data);
    return {
      tenantId: record.tenantId,
      bytes: eventRecordBytesOfJson(record, custom, data),
      values: [
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
        epochMsOf(context.timestamp),
        context.traceId,
        context.spanId,
        custom,
        data,
        refKeyOf(record.ref),
        idKeyOf(context.eventId),
        idKeyOf(context.correlationId),
      ],
    };
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
        timestamp: timestampOf(row.ts),
        traceId: row.trace_id,
        spanId: row.span_id,
        custom: this.#dialect.decodeJson(row.custom) as { [key: string]: JsonValue },
      },
      data: row.data === null ? null : (this.#dialect.decodeJson(row.data) as JsonValue),
    };
  }
}
