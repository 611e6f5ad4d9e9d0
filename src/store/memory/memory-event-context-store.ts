import type { EventRecord } from '../../core/event-context.js';
import type { JsonValue } from '../../core/json.js';
import type { Page } from '../../core/page.js';
import { eventCursorOf, normalizeEventQuery } from '../event-context-query.js';
import type { EventContextQuery, EventContextStore, EventContextStoreSize } from '../event-context-store.js';
import { eventRecordBytes } from '../event-record-bytes.js';
import { toPage } from '../page-request.js';

/** A deep copy of a JSON value (what records hold), several times faster than structuredClone for small values. */
function cloneJson<T extends JsonValue | null>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => cloneJson(item)) as T;
  const copy: { [key: string]: JsonValue } = {};
  for (const key of Object.keys(value)) {
    const item = cloneJson((value as { [key: string]: JsonValue })[key] as JsonValue);
    // an own `__proto__` key (JSON.parse makes those) stays a plain property
    if (key === '__proto__')
      Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    else copy[key] = item;
  }
  return copy as T;
}

/** A record nobody else holds: callers may mutate what they passed in or got back. */
function cloneRecord(record: EventRecord): EventRecord {
  const { tenantId, ref, event, context, data } = record;
  return { tenantId, ref, event, context: { ...context, custom: cloneJson(context.custom) }, data: cloneJson(data) };
}

/** Event contexts in this process: one map per tenant. */
export class MemoryEventContextStore implements EventContextStore {
  readonly #tenants = new Map<string, Map<string, EventRecord>>();
  readonly #bytes = new Map<string, number>();

  async putMany(records: readonly EventRecord[]): Promise<number> {
    let inserted = 0;
    for (const record of records) {
      let refs = this.#tenants.get(record.tenantId);
      if (refs === undefined) {
        refs = new Map();
        this.#tenants.set(record.tenantId, refs);
      }
      if (refs.has(record.ref)) continue;
      refs.set(record.ref, cloneRecord(record));
      this.#bytes.set(record.tenantId, (this.#bytes.get(record.tenantId) ?? 0) + eventRecordBytes(record));
      inserted += 1;
    }
    return inserted;
  }

  async get(tenantId: string, ref: string): Promise<EventRecord | undefined> {
    const record = this.#tenants.get(tenantId)?.get(ref);
    return record === undefined ? undefined : cloneRecord(record);
  }

  async getMany(tenantId: string, refs: readonly string[]): Promise<EventRecord[]> {
    const found: EventRecord[] = [];
    for (const ref of new Set(refs)) {
      const record = await this.get(tenantId, ref);
      if (record !== undefined) found.push(record);
    }
    return found;
  }

  async query(tenantId: string, query: EventContextQuery): Promise<Page<EventRecord>> {
    const { filters, since, until, after, limit } = normalizeEventQuery(query);
    const matching = [...(this.#tenants.get(tenantId)?.values() ?? [])].filter(({ event, context }) => {
      if (filters.correlationId !== undefined && context.correlationId !== filters.correlationId) return false;
      if (filters.eventId !== undefined && context.eventId !== filters.eventId) return false;
      if (filters.agentId !== undefined && context.agentId !== filters.agentId) return false;
      if (filters.sessionId !== undefined && context.sessionId !== filters.sessionId) return false;
      if (filters.eventName !== undefined && event !== filters.eventName) return false;
      if (since !== undefined && context.timestamp < since) return false;
      if (until !== undefined && context.timestamp >= until) return false;
      return true;
    });
    const sorted = matching
      .map((record) => ({ record, key: eventCursorOf(record) }))
      .filter(({ key }) => after === undefined || key[0] > after[0] || (key[0] === after[0] && key[1] > after[1]))
      .sort((left, right) => compare(left.key, right.key))
      .slice(0, limit + 1)
      .map(({ record }) => cloneRecord(record));
    return toPage(sorted, limit, eventCursorOf);
  }

  async count(tenantId: string): Promise<number> {
    return this.#tenants.get(tenantId)?.size ?? 0;
  }

  async size(tenantId: string): Promise<EventContextStoreSize> {
    return { events: this.#tenants.get(tenantId)?.size ?? 0, bytes: this.#bytes.get(tenantId) ?? 0 };
  }
}

function compare(left: [string, string], right: [string, string]): number {
  if (left[0] !== right[0]) return left[0] < right[0] ? -1 : 1;
  if (left[1] !== right[1]) return left[1] < right[1] ? -1 : 1;
  return 0;
}
