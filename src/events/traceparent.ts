import { randomFillSync } from 'node:crypto';
import type { EventContext } from '../core/event-context.js';
import type { ParentLink } from './event-scope.js';
import { hex16 } from './hot-tier/hot-hex.js';

/** W3C Trace Context (https://www.w3.org/TR/trace-context/): `00-<trace-id>-<parent-id>-<flags>`. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

export interface TraceParent {
  traceId: string;
  /** The caller's span: our parent. */
  parentSpanId: string;
  sampled: boolean;
}

/** Parses a `traceparent` header; undefined when absent or invalid (the spec says: then start a new trace). */
export function parseTraceparent(header: string | undefined): TraceParent | undefined {
  if (header === undefined) return undefined;
  const match = TRACEPARENT.exec(header.trim().toLowerCase());
  if (match === null) return undefined;
  const [, version, traceId, parentSpanId, flags, rest] = match;
  if (version === undefined || traceId === undefined || parentSpanId === undefined || flags === undefined) return undefined;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || parentSpanId === ZERO_SPAN) return undefined;
  return { traceId, parentSpanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

/** The `traceparent` of an event: its trace and its own span, sampled. */
export function formatTraceparent(context: Pick<EventContext, 'traceId' | 'spanId'>): string {
  return `00-${context.traceId}-${context.spanId}-01`;
}

/**
 * Random ids come from a pooled buffer: one call to the CSPRNG per 2,048 span ids instead of one each, refilling the
 * same buffer in place (ids are copied out as strings at once, so nothing still reads the old bytes).
 */
const POOL_SIZE = 16 * 1024;
const pool = randomFillSync(Buffer.allocUnsafeSlow(POOL_SIZE));
let poolOffset = 0;

/** The offset of 8 fresh random bytes in `pool`. */
function random8(): number {
  if (poolOffset + 8 > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const offset = poolOffset;
  poolOffset += 8;
  return offset;
}

/** A random W3C trace id: 32 lower-case hex digits. */
export function newTraceId(): string {
  const high = hex16(pool, random8());
  return high + hex16(pool, random8());
}

/** A random W3C span id: 16 lower-case hex digits. */
export function newSpanId(): string {
  return hex16(pool, random8());
}

/**
 * Generated event ids carry their span id, so a `traceparent` alone names the parent event. A 16-digit span gives
 * one flat string (not `evt_` joined to the span), which every later comparison and copy of the id reads directly.
 */
export function eventIdOfSpan(spanId: string): string {
  if (spanId.length !== 16) return `evt_${spanId}`;
  return String.fromCharCode(
    101,
    118,
    116,
    95,
    spanId.charCodeAt(0),
    spanId.charCodeAt(1),
    spanId.charCodeAt(2),
    spanId.charCodeAt(3),
    spanId.charCodeAt(4),
    spanId.charCodeAt(5),
    spanId.charCodeAt(6),
    spanId.charCodeAt(7),
    spanId.charCodeAt(8),
    spanId.charCodeAt(9),
    spanId.charCodeAt(10),
    spanId.charCodeAt(11),
    spanId.charCodeAt(12),
    spanId.charCodeAt(13),
    spanId.charCodeAt(14),
    spanId.charCodeAt(15),
  );
}

const BAGGAGE_KEYS = {
  correlationId: 'ctx-correlation-id',
  rootEventId: 'ctx-root-event-id',
  eventId: 'ctx-event-id',
  depth: 'ctx-depth',
};

/** W3C Baggage members that carry what `traceparent` cannot: the exact correlation, root, event id and depth. */
export function formatBaggage(context: Pick<EventContext, 'correlationId' | 'rootEventId' | 'eventId' | 'depth'>): string {
  return [
    `${BAGGAGE_KEYS.correlationId}=${encodeURIComponent(context.correlationId)}`,
    `${BAGGAGE_KEYS.rootEventId}=${encodeURIComponent(context.rootEventId)}`,
    `${BAGGAGE_KEYS.eventId}=${encodeURIComponent(context.eventId)}`,
    `${BAGGAGE_KEYS.depth}=${context.depth}`,
  ].join(',');
}

function parseBaggage(header: string | undefined): Map<string, string> {
  const members = new Map<string, string>();
  if (header === undefined) return members;
  for (const member of header.split(',')) {
    const [pair] = member.split(';', 1);
    const index = pair?.indexOf('=') ?? -1;
    if (pair === undefined || index < 1) continue;
    try {
      members.set(pair.slice(0, index).trim(), decodeURIComponent(pair.slice(index + 1).trim()));
    } catch {
      // a malformed member is ignored, like any unknown one
    }
  }
  return members;
}

/** Headers that carry an event's context across a boundary (HTTP request, queue message). */
export function traceHeadersOf(context: EventContext): { traceparent: string; baggage: string } {
  return { traceparent: formatTraceparent(context), baggage: formatBaggage(context) };
}

/**
 * The parent an incoming `traceparent` (and our baggage members, when present) describes. Without baggage the
 * caller's span becomes the parent event (`evt_<span>`), the root, and the correlation is `corr_<trace-id>`.
 */
export function linkFromTraceHeaders(
  tenantId: string | undefined,
  headers: { traceparent?: string | undefined; baggage?: string | undefined },
): ParentLink | undefined {
  const parent = parseTraceparent(headers.traceparent);
  if (parent === undefined) return undefined;
  const baggage = parseBaggage(headers.baggage);
  const eventId = baggage.get(BAGGAGE_KEYS.eventId) ?? eventIdOfSpan(parent.parentSpanId);
  const depth = Number(baggage.get(BAGGAGE_KEYS.depth));
  return {
    tenantId,
    eventId,
    rootEventId: baggage.get(BAGGAGE_KEYS.rootEventId) ?? eventId,
    correlationId: baggage.get(BAGGAGE_KEYS.correlationId) ?? `corr_${parent.traceId}`,
    depth: Number.isInteger(depth) && depth >= 0 ? depth : 0,
    traceId: parent.traceId,
    agentId: null,
    clientId: null,
    sessionId: null,
    originator: null,
  };
}
