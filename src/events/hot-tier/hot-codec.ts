import type { EventContext } from '../../core/event-context.js';
import { type HotSegment, InternSlot } from './hot-segment.js';
import { parseIso } from './hot-time.js';

/** What the hot tier keeps of an event: its tenant, reference, name and context (not its data). */
export interface HotEntry {
  tenantId: string;
  ref: string;
  event: string;
  context: EventContext;
}

function writeVarint(segment: HotSegment, value: number): void {
  let rest = value;
  while (rest >= 0x80) {
    segment.bytes[segment.length++] = (rest & 0x7f) | 0x80;
    rest = Math.floor(rest / 128);
  }
  segment.bytes[segment.length++] = rest;
}

function writeText(segment: HotSegment, text: string): void {
  const size = Buffer.byteLength(text, 'utf8');
  segment.ensure(size + 10);
  writeVarint(segment, size);
  segment.bytes.write(text, segment.length, size, 'utf8');
  segment.length += size;
}

/** Two 32-bit words as 8 bytes, high byte first (the byte order writeHex16 gives 16 hex digits). */
function writeWordPair(bytes: Uint8Array, at: number, high: number, low: number): void {
  bytes[at] = high >>> 24;
  bytes[at + 1] = (high >>> 16) & 0xff;
  bytes[at + 2] = (high >>> 8) & 0xff;
  bytes[at + 3] = high & 0xff;
  bytes[at + 4] = low >>> 24;
  bytes[at + 5] = (low >>> 16) & 0xff;
  bytes[at + 6] = (low >>> 8) & 0xff;
  bytes[at + 7] = low & 0xff;
}

/** The value of each lower-case hex digit by char code (below 128); -1 for every other code. */
const HEX_VALUES = new Int8Array(128).fill(-1);
for (let digit = 0; digit < 16; digit += 1) HEX_VALUES['0123456789abcdef'.charCodeAt(digit)] = digit;

/**
 * Eight lower-case hex digits of `text` from `start` as an unsigned 32-bit word; -1 when they are not that. A table
 * lookup per digit and no early exit (hot-hex's hexWord branches per digit): an insert parses up to seven.
 */
export function hexWordAt(text: string, start: number): number {
  let word = 0;
  let invalid = 0;
  for (let index = start; index < start + 8; index += 1) {
    // past the end charCodeAt gives NaN, which is not < 128
    const code = text.charCodeAt(index);
    const digit = code < 128 ? (HEX_VALUES[code] as number) : -1;
    invalid |= digit;
    word = (word << 4) | (digit & 15);
  }
  return invalid < 0 ? -1 : word >>> 0;
}

/** True when `eventId` is 20 characters starting with `evt_` (the shape of a generated id; its digits unchecked). */
function isEventIdPrefix(eventId: string): boolean {
  return (
    eventId.length === 20 &&
    eventId.charCodeAt(0) === 101 /* e */ &&
    eventId.charCodeAt(1) === 118 /* v */ &&
    eventId.charCodeAt(2) === 116 /* t */ &&
    eventId.charCodeAt(3) === 95 /* _ */
  );
}

/** Event ids the router generated (`evt_<span>`) take 8 bytes (tag 1); other ids are stored as text (tag 2). */
function writeEventId(segment: HotSegment, eventId: string | null): void {
  if (eventId === null) {
    segment.bytes[segment.length++] = 0;
    return;
  }
  if (isEventIdPrefix(eventId)) {
    const high = hexWordAt(eventId, 4);
    const low = high < 0 ? -1 : hexWordAt(eventId, 12);
    if (low >= 0) {
      segment.bytes[segment.length] = 1;
      writeWordPair(segment.bytes, segment.length + 1, high, low);
      segment.length += 9;
      return;
    }
  }
  segment.bytes[segment.length++] = 2;
  writeText(segment, eventId);
}

function writeUint32(segment: HotSegment, value: number): void {
  const bytes = segment.bytes;
  const at = segment.length;
  bytes[at] = value & 0xff;
  bytes[at + 1] = (value >>> 8) & 0xff;
  bytes[at + 2] = (value >>> 16) & 0xff;
  bytes[at + 3] = value >>> 24;
  segment.length += 4;
}

/**
 * Appends one record: hash words (`h0`, `h1`, `h2`: the reference's 24 hex digits), interned ref prefix (`prefix`
 * when the caller knows it, else read from the ref) / tenant /
 * name, the event id (tag 0: it is `evt_<span>`), the span (8 bytes, tag 1, or text, tag 2), the parent id, interned
 * root / correlation / trace, depth, interned agent / client / session / originator, timestamp (float64) and the
 * custom fields as interned canonical JSON. About 50 bytes for a typical event. HotDecoder reads the same layout.
 */
export function encodeEntry(
  segment: HotSegment,
  entry: HotEntry,
  h0: number,
  h1: number,
  h2: number,
  customText: string,
  prefix: string | undefined,
): void {
  const { context } = entry;
  segment.ensure(96);
  segment.offsets[segment.count] = segment.length;
  writeUint32(segment, h0);
  writeUint32(segment, h1);
  writeUint32(segment, h2);
  const tenant = segment.internRepeated(InternSlot.Tenant, entry.tenantId);
  const event = segment.internRepeated(InternSlot.Event, entry.event);
  const agent = segment.internRepeated(InternSlot.Agent, context.agentId);
  writeVarint(segment, prefix === undefined ? segment.internPrefix(entry.ref, event, agent) : segment.intern(prefix));
  writeVarint(segment, tenant);
  writeVarint(segment, event);
  const { eventId, spanId } = context;
  // a span of 16 lower-case hex digits is two words (-1 when it is not)
  const spanHigh = spanId.length === 16 ? hexWordAt(spanId, 0) : -1;
  const spanLow = spanHigh < 0 ? -1 : hexWordAt(spanId, 8);
  const spanIsHex = spanLow >= 0;
  // `evt_<span>` exactly: its last 16 digits read as the span's two words (no startsWith/endsWith calls)
  if (spanIsHex && isEventIdPrefix(eventId) && hexWordAt(eventId, 4) === spanHigh && hexWordAt(eventId, 12) === spanLow) {
    segment.bytes[segment.length++] = 0;
  } else writeEventId(segment, eventId);
  segment.ensure(64);
  if (spanIsHex) {
    segment.bytes[segment.length] = 1;
    writeWordPair(segment.bytes, segment.length + 1, spanHigh, spanLow);
    segment.length += 9;
  } else {
    segment.bytes[segment.length++] = 2;
    writeText(segment, spanId);
  }
  segment.ensure(64);
  writeEventId(segment, context.parentEventId);
  segment.ensure(64);
  writeVarint(segment, context.rootEventId === eventId ? 0 : segment.internRepeated(InternSlot.Root, context.rootEventId));
  writeVarint(segment, segment.internRepeated(InternSlot.Correlation, context.correlationId));
  writeVarint(segment, segment.internRepeated(InternSlot.Trace, context.traceId));
  writeVarint(segment, context.depth);
  writeVarint(segment, agent);
  writeVarint(segment, segment.internRepeated(InternSlot.Client, context.clientId));
  writeVarint(segment, segment.internRepeated(InternSlot.Session, context.sessionId));
  writeVarint(segment, segment.internRepeated(InternSlot.Originator, context.originator));
  segment.bytes.writeDoubleLE(parseIso(context.timestamp), segment.length);
  segment.length += 8;
  writeVarint(segment, customText === '{}' ? 0 : segment.intern(customText));
  segment.count += 1;
}
