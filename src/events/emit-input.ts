import { ValidationError } from '../core/errors.js';
import type { EventContext, EventDurability } from '../core/event-context.js';
import type { JsonValue } from '../core/json.js';

/** What a caller may say about a new event's context; everything else is derived from its parent (or generated). */
export interface EmitContextInput {
  /** Required unless inherited from the implicit parent. */
  tenantId?: string | undefined;
  eventId?: string | undefined;
  correlationId?: string | undefined;
  agentId?: string | null | undefined;
  clientId?: string | null | undefined;
  sessionId?: string | null | undefined;
  originator?: string | null | undefined;
  /** ISO-8601; default now. */
  timestamp?: string | undefined;
  custom?: { [key: string]: JsonValue } | undefined;
  /**
   * The explicit path: the parent context (e.g. the one a handler received), or null for a new root even inside a
   * handler. Absent: the implicit parent (AsyncLocalStorage), if any.
   */
  parent?: EventContext | null | undefined;
  /** A W3C `traceparent` (and our `baggage` members) from across a boundary: the event continues that trace. */
  traceparent?: string | undefined;
  baggage?: string | undefined;
}

export interface EmitOptions {
  /** `buffered` (default): acknowledged once in the hot tier; `acknowledged`: once written to the cold tier. */
  durability?: EventDurability | undefined;
}

export const EVENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$/;
const MAX_IDENTIFIER_LENGTH = 256;

/** Names already checked (a stream repeats a few): bounded, then reset. */
const checkedNames = new Set<string>();
const MAX_CHECKED_NAMES = 4096;

/** Throws a ValidationError unless `name` is an event name (1–128 letters, digits and `_ . : / -`). */
export function assertEventName(name: unknown): string {
  if (typeof name === 'string' && checkedNames.has(name)) return name;
  if (typeof name !== 'string' || !EVENT_NAME_PATTERN.test(name)) {
    throw new ValidationError(
      `${JSON.stringify(name)} is not an event name: 1–128 letters, digits and _ . : / -, starting with a letter or digit.`,
      { code: 'invalid_event_name' },
    );
  }
  if (checkedNames.size >= MAX_CHECKED_NAMES) checkedNames.clear();
  checkedNames.add(name);
  return name;
}

/** True when `value` has a control character (U+0000–U+001F, U+007F): a loop, cheaper than a regex on short ids. */
function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** An id field: a non-empty string of at most 256 characters without control characters (or null where allowed). */
export function assertIdentifier(field: string, value: unknown, nullable: boolean): string | null {
  if (value === null && nullable) return null;
  if (typeof value === 'string' && value.length > 0 && value.length <= MAX_IDENTIFIER_LENGTH && !hasControlCharacter(value)) {
    return value;
  }
  throw new ValidationError(
    `${field} must be a non-empty string of at most ${MAX_IDENTIFIER_LENGTH} characters without control characters.`,
    {
      code: 'invalid_event_context',
      details: { field },
    },
  );
}

/** A timestamp as the canonical ISO-8601 instant (milliseconds, UTC). */
export function normalizeTimestamp(value: unknown): string {
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new ValidationError(`${JSON.stringify(value)} is not an ISO-8601 date-time.`, { code: 'invalid_timestamp' });
  }
  return new Date(time).toISOString();
}
