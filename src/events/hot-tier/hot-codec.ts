import type { EventContext } from '../../core/event-context.js';
import { hexWord, isHexTail, writeHex16 } from './hot-hex.js';
import type { HotSegment } from './hot-segment.js';
import { parseIso } from './hot-time.js';

/** What the hot tier keeps of an event: its tenant, reference, name and context (not its data). */
export interface HotEntry {
  tenantId: string;
  ref: string;
  event: string;
  context: EventContext;
}

/** The 24 hex digits of a reference as three 32-bit words (undefined when they are not hex). */
export function hashWords(ref: string): [number, number, number] | undefined {
  const start = ref.length - 24;
  if (start < 5 || ref.charCodeAt(start - 1) !== 95 /* _ */) return undefined;
  const h0 = hexWord(ref, start);
  const h1 = hexWord(ref, start + 8);
  const h2 = hexWord(ref, start + 16);
  if (h0 < 0 || h1 < 0 || h2 < 0) return undefined;
  return [h0, h1, h2];
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

/** Event ids the router generated (`evt_<span>`) take 8 bytes (tag 1); other ids are stored as text (tag 2). */
function writeEventId(segment: HotSegment, eventId: string | null): void {
  if (eventId === null) {
    segment.bytes[segment.length++] = 0;
    return;
  }
  if (eventId.startsWith('evt_') && writeHex16(segment.bytes, segment.length + 1, eventId, 4)) {
    segment.bytes[segment.length] = 1;
    segment.length += 9;
    return;
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
 * Appends one record: hash words, interned ref prefix / tenant / name, the event id (tag 0: it is `evt_<span>`),
 * the span (8 bytes, tag 1, or text, tag 2), the parent id, interned root / correlation / trace, depth, interned
 * agent / client / session / originator, timestamp (float64) and the custom fields as interned canonical JSON.
 * About 50 bytes for a typical event. HotDecoder reads the same layout.
 */
export function encodeEntry(segment: HotSegment, entry: HotEntry, words: [number, number, number], customText: string): void {
  const { context } = entry;
  segment.ensure(96);
  segment.offsets[segment.count] = segment.length;
  writeUint32(segment, words[0]);
  writeUint32(segment, words[1]);
  writeUint32(segment, words[2]);
  writeVarint(segment, segment.internPrefix(entry.ref));
  writeVarint(segment, segment.intern(entry.tenantId));
  writeVarint(segment, segment.intern(entry.event));
  const { eventId, spanId } = context;
  const spanIsHex = isHexTail(spanId, 0, 16);
  if (spanIsHex && eventId.length === 20 && eventId.startsWith('evt_') && eventId.endsWith(spanId)) {
    segment.bytes[segment.length++] = 0;
  } else writeEventId(segment, eventId);
  segment.ensure(64);
  if (spanIsHex) {
    segment.bytes[segment.length] = 1;
    writeHex16(segment.bytes, segment.length + 1, spanId, 0);
    segment.length += 9;
  } else {
    segment.bytes[segment.length++] = 2;
    writeText(segment, spanId);
  }
  segment.ensure(64);
  writeEventId(segment, context.parentEventId);
  segment.ensure(64);
  writeVarint(segment, context.rootEventId === eventId ? 0 : segment.intern(context.rootEventId));
  writeVarint(segment, segment.intern(context.correlationId));
  writeVarint(segment, segment.intern(context.traceId));
  writeVarint(segment, context.depth);
  writeVarint(segment, segment.intern(context.agentId));
  writeVarint(segment, segment.intern(context.clientId));
  writeVarint(segment, segment.intern(context.sessionId));
  writeVarint(segment, segment.intern(context.originator));
  segment.bytes.writeDoubleLE(parseIso(context.timestamp), segment.length);
  segment.length += 8;
  writeVarint(segment, customText === '{}' ? 0 : segment.intern(customText));
  segment.count += 1;
}
