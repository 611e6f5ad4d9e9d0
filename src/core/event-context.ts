import type { JsonValue } from './json.js';

/**
 * The context of one event (seed 004): who emitted it, in which chain, and when. Stored once, content-addressed,
 * and carried by events as a reference (`ctx_<kind>_<agent>_<hash>`) instead of inline.
 */
export interface EventContext {
  eventId: string;
  /** Shared by every event of one request or workflow (default `corr_<traceId>`). */
  correlationId: string;
  /** The event whose handler (or request) emitted this one; null for a root. */
  parentEventId: string | null;
  /** The first event of the chain (this event's own id for a root). */
  rootEventId: string;
  /** 0 for a root, parent's depth + 1 otherwise; bounded by the router's depth limit. */
  depth: number;
  agentId: string | null;
  clientId: string | null;
  sessionId: string | null;
  /** Where results should propagate to. */
  originator: string | null;
  /** ISO-8601 instant, millisecond precision. */
  timestamp: string;
  /** W3C trace context: 32 lower-case hex digits, shared by the chain. */
  traceId: string;
  /** W3C span id of this event: 16 lower-case hex digits. */
  spanId: string;
  /** Caller-defined fields (not inherited by children). `{}` when none. */
  custom: { [key: string]: JsonValue };
}

/** An event as the engine keeps it: its name, its context (by reference) and its data. */
export interface EventRecord {
  tenantId: string;
  /** `ctx_<kind>_<agent>_<hash>`: identical contexts of a tenant share one reference. */
  ref: string;
  /** `noun.verb` (or the seed's `noun:verb`). */
  event: string;
  context: EventContext;
  /** The event's payload; null when it had none (or when only the context is known, e.g. from the hot tier). */
  data: JsonValue | null;
}

/**
 * When an emit is acknowledged: `acknowledged` after the event is in the cold tier (durable); `buffered` as soon as
 * it is in the hot tier, written to the cold tier within the router's flush window unless the process dies first.
 */
export type EventDurability = 'acknowledged' | 'buffered';

/** What `query` filters on (at least one of correlationId, agentId, sessionId, eventName, or a time range). */
export interface EventQuery {
  correlationId?: string | undefined;
  agentId?: string | undefined;
  sessionId?: string | undefined;
  eventName?: string | undefined;
  /** Inclusive lower bound (ISO-8601). */
  since?: string | undefined;
  /** Exclusive upper bound (ISO-8601). */
  until?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}
