import type { EventRecord } from '../core/event-context.js';
import type { EventContextQuery } from './event-context-store.js';
import { decodeStringPairCursor, resolvePageLimit } from './page-request.js';
import { normalizeInstant } from './store-errors.js';

/** A query with its bounds checked and normalised, as every backend runs it. */
export interface NormalizedEventQuery {
  filters: {
    correlationId?: string | undefined;
    eventId?: string | undefined;
    agentId?: string | undefined;
    sessionId?: string | undefined;
    eventName?: string | undefined;
  };
  since: string | undefined;
  until: string | undefined;
  /** Continue after this (timestamp, ref). */
  after: [string, string] | undefined;
  limit: number;
}

/** Validates limit, cursor and time bounds (ISO-8601, normalised to milliseconds in UTC). */
export function normalizeEventQuery(query: EventContextQuery): NormalizedEventQuery {
  return {
    filters: {
      correlationId: query.correlationId,
      eventId: query.eventId,
      agentId: query.agentId,
      sessionId: query.sessionId,
      eventName: query.eventName,
    },
    since: query.since === undefined ? undefined : normalizeInstant(query.since),
    until: query.until === undefined ? undefined : normalizeInstant(query.until),
    after: query.cursor === undefined ? undefined : decodeStringPairCursor(query.cursor),
    limit: resolvePageLimit(query.limit),
  };
}

/** The sort key of a record in query results. */
export function eventCursorOf(record: EventRecord): [string, string] {
  return [record.context.timestamp, record.ref];
}
