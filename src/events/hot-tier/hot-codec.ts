import type { EventContext } from '../../core/event-context.js';
import type { JsonValue } from '../../core/json.js';
import type { HotSegment } from './hot-segment.js';

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const GENERATED_ID = /^evt_[0-9a-f]{16}$/;
const SPAN = /^[0-9a-f]{16}$/;

const PAD2 = Array.from({ length: 100 }, (_, value) => String(value).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, value) => String(value).padStart(3, '0'));
const DAY_MS = 86_400_000;
let cachedDay = Number.NaN;
let cachedDayPrefix = '';

/** Date#toISOString, with the date part computed once per UTC day (the time part by arithmetic). */
function isoOf(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (!Number.isSafeInteger(ms) || Math.abs(ms) > 8.64e15) return new Date(ms).toISOString();
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  let rest = ms - day * DAY_MS;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  return `${cachedDayPrefix}${PAD2[hours]}:${PAD2[minutes]}:${PAD2[seconds]}.${PAD3[millis]}Z`;
}

/** A little-endian 32-bit word (without Buffer's bounds checks: offsets come from our own records). */
function word(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset] as number) |
      ((bytes[offset + 1] as number) << 8) |
      ((bytes[offset + 2] as number) << 16) |
      ((bytes[offset + 3] as number) << 24)) >>>
    0
  );
}

let lastIso = '';
let lastMs = 0;

/** Date.parse, remembering the last answer (emits of one millisecond share their timestamp). */
function parseIso(iso: string): number {
  if (iso !== lastIso) {
    lastIso = iso;
    lastMs = Date.parse(iso);
  }
  return lastMs;
}

export interface HotEntry {
  tenantId: string;
  ref: string;
  event: string;
  context: EventContext;
}

function hexWord(ref: string, start: number): number {
  let word = 0;
  for (let index = start; index < start + 8; index += 1) {
    const code = ref.charCodeAt(index);
    const digit = code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1;
    if (digit < 0) return -1;
    word = word * 16 + digit;
  }
  return word;
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

function writeHex8(segment: HotSegment, hex: string): void {
  segment.bytes.write(hex, segment.length, 8, 'hex');
  segment.length += 8;
}

function writeText(segment: HotSegment, text: string): void {
  const size = Buffer.byteLength(text, 'utf8');
  segment.ensure(size + 10);
  writeVarint(segment, size);
  segment.bytes.write(text, segment.length, size, 'utf8');
  segment.length += size;
}

/** Event ids the router generated (`evt_<span>`) take 8 bytes; other ids are stored as text. */
function writeEventId(segment: HotSegment, eventId: string | null): void {
  if (eventId === null) segment.bytes[segment.length++] = 0;
  else if (GENERATED_ID.test(eventId)) {
    segment.bytes[segment.length++] = 1;
    writeHex8(segment, eventId.slice(4));
  } else {
    segment.bytes[segment.length++] = 2;
    writeText(segment, eventId);
  }
}

/**
 * Appends one record: hash words, interned ref prefix / tenant / name / ids, the span (8 bytes), depth, timestamp
 * (float64) and the custom fields as interned canonical JSON. About 50 bytes for a typical event.
 */
export function encodeEntry(segment: HotSegment, entry: HotEntry, words: [number, number, number], customText: string): void {
  const { context } = entry;
  segment.ensure(96);
  segment.offsets[segment.count] = segment.length;
  for (const word of words) {
    segment.bytes.writeUInt32LE(word >>> 0, segment.length);
    segment.length += 4;
  }
  writeVarint(segment, segment.intern(entry.ref.slice(0, entry.ref.length - 24)));
  writeVarint(segment, segment.intern(entry.tenantId));
  writeVarint(segment, segment.intern(entry.event));
  const spanIsId = SPAN.test(context.spanId) && context.eventId === `evt_${context.spanId}`;
  if (spanIsId) segment.bytes[segment.length++] = 0;
  else writeEventId(segment, context.eventId);
  segment.ensure(64);
  if (SPAN.test(context.spanId)) {
    segment.bytes[segment.length++] = 1;
    writeHex8(segment, context.spanId);
  } else {
    segment.bytes[segment.length++] = 2;
    writeText(segment, context.spanId);
  }
  segment.ensure(64);
  writeEventId(segment, context.parentEventId);
  segment.ensure(64);
  writeVarint(segment, context.rootEventId === context.eventId ? 0 : segment.intern(context.rootEventId));
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

/** Reads records back; keeps the last timestamp it formatted (bursts share milliseconds). */
export class HotDecoder {
  #segment!: HotSegment;
  #position = 0;
  #lastMs = Number.NaN;
  #lastIso = '';

  #varint(): number {
    const bytes = this.#segment.bytes;
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = bytes[this.#position++] ?? 0;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
  }

  #hex8(): string {
    const bytes = this.#segment.bytes;
    const at = this.#position;
    this.#position += 8;
    return (
      (HEX[bytes[at] ?? 0] as string) +
      HEX[bytes[at + 1] ?? 0] +
      HEX[bytes[at + 2] ?? 0] +
      HEX[bytes[at + 3] ?? 0] +
      HEX[bytes[at + 4] ?? 0] +
      HEX[bytes[at + 5] ?? 0] +
      HEX[bytes[at + 6] ?? 0] +
      HEX[bytes[at + 7] ?? 0]
    );
  }

  #text(): string {
    const size = this.#varint();
    const start = this.#position;
    this.#position += size;
    return this.#segment.bytes.toString('utf8', start, start + size);
  }

  #eventId(): string | null {
    const tag = this.#segment.bytes[this.#position++];
    if (tag === 0) return null;
    if (tag === 1) return `evt_${this.#hex8()}`;
    return this.#text();
  }

  #string(): string | null {
    const id = this.#varint();
    return id === 0 ? null : (this.#segment.strings[id] ?? null);
  }

  #timestamp(): string {
    const ms = this.#segment.bytes.readDoubleLE(this.#position);
    this.#position += 8;
    if (ms !== this.#lastMs) {
      this.#lastMs = ms;
      this.#lastIso = isoOf(ms);
    }
    return this.#lastIso;
  }

  /** True when the record at `offset` has these hash words. */
  matches(segment: HotSegment, offset: number, words: readonly [number, number, number]): boolean {
    const bytes = segment.bytes;
    return (
      word(bytes, offset) === words[0] >>> 0 &&
      word(bytes, offset + 4) === words[1] >>> 0 &&
      word(bytes, offset + 8) === words[2] >>> 0
    );
  }

  /** The ref prefix (`ctx_<kind>_<agent>_`) and tenant of a record, checked before decoding the rest. */
  header(segment: HotSegment, offset: number): { prefix: string; tenantId: string } {
    this.#segment = segment;
    this.#position = offset + 12;
    const prefix = this.#string() ?? '';
    const tenantId = this.#string() ?? '';
    return { prefix, tenantId };
  }

  /** Decodes the record at `offset` (its ref is `ref`). */
  decode(segment: HotSegment, offset: number, ref: string): HotEntry {
    const { tenantId } = this.header(segment, offset);
    const event = this.#string() ?? '';
    const tag = segment.bytes[this.#position];
    let eventId: string | null = null;
    if (tag === 0) this.#position += 1;
    else eventId = this.#eventId();
    const spanTag = segment.bytes[this.#position++];
    const spanId = spanTag === 1 ? this.#hex8() : this.#text();
    const id = eventId ?? `evt_${spanId}`;
    const parentEventId = this.#eventId();
    const root = this.#string();
    const correlationId = this.#string() ?? '';
    const traceId = this.#string() ?? '';
    const depth = this.#varint();
    const agentId = this.#string();
    const clientId = this.#string();
    const sessionId = this.#string();
    const originator = this.#string();
    const timestamp = this.#timestamp();
    const customText = this.#string();
    const custom = customText === null ? {} : (JSON.parse(customText) as { [key: string]: JsonValue });
    return {
      tenantId,
      ref,
      event,
      context: {
        eventId: id,
        correlationId,
        parentEventId,
        rootEventId: root ?? id,
        depth,
        agentId,
        clientId,
        sessionId,
        originator,
        timestamp,
        traceId,
        spanId,
        custom,
      },
    };
  }

  /** The first hash word of the record at `offset` (its home slot in the index). */
  firstWord(segment: HotSegment, offset: number): number {
    return word(segment.bytes, offset);
  }

  /** The hash words of the record at `offset`. */
  words(segment: HotSegment, offset: number): [number, number, number] {
    const bytes = segment.bytes;
    return [word(bytes, offset), word(bytes, offset + 4), word(bytes, offset + 8)];
  }
}
