import type { EventQuery, EventRecord } from '../core/event-context.js';
import type { Page } from '../core/page.js';

/** A query of the cold tier: `EventQuery` plus an exact event id. */
export interface EventContextQuery extends EventQuery {
  eventId?: string | undefined;
}

/**
 * The cold tier of event contexts (seed 004): every event record of a tenant, content-addressed by `(tenantId, ref)`,
 * queryable by correlation id, event id, agent id, session id, event name and time. Tenant-scoped in every method.
 * Callers make sure the tenant exists (the router checks before it stores).
 */
export interface EventContextStore {
  /** Stores records in one write; a `(tenantId, ref)` already stored is left as it is. Returns how many were new. */
  putMany(records: readonly EventRecord[]): Promise<number>;
  get(tenantId: string, ref: string): Promise<EventRecord | undefined>;
  /** The records of those references that exist in the tenant (in no particular order). */
  getMany(tenantId: string, refs: readonly string[]): Promise<EventRecord[]>;
  /** Matching records, oldest first (by timestamp, then ref), cursor-paged. */
  query(tenantId: string, query: EventContextQuery): Promise<Page<EventRecord>>;
  count(tenantId: string): Promise<number>;
  /** How many contexts the tenant has here, and their approximate size (`eventRecordBytes` summed). */
  size(tenantId: string): Promise<EventContextStoreSize>;
}

export interface EventContextStoreSize {
  events: number;
  bytes: number;
}
