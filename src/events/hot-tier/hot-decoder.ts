import type { JsonValue } from '../../core/json.js';
import type { HotEntry } from './hot-codec.js';
import { eventIdHex, hex16, readWord } from './hot-hex.js';
import type { HotSegment } from './hot-segment.js';
import { isoOf } from './hot-time.js';

/** The fields of a record in the order encodeEntry writes them, read into one reusable place. */
interface Fields {
  event: string;
  eventId: string;
  spanId: string;
  parentEventId: string | null;
  rootEventId: string;
  correlationId: string;
  traceId: string;
  depth: number;
  agentId: number;
  clientId: number;
  sessionId: number;
  originator: number;
  timestamp: string;
  custom: number;
}

/**
 * Reads records back (the layout of encodeEntry): as objects (`decode`) or straight to JSON text (`json`, for
 * `resolve_batch`, with each interned string quoted once per segment). Keeps the last timestamp it formatted (bursts
 * share milliseconds). Not reentrant: one decoder per tier, used synchronously.
 */
export class HotDecoder {
  #segment!: HotSegment;
  #position = 0;
  #lastMs = Number.NaN;
  #lastIso = '';
  // what `json` needs of the last record read: string ids (quoted once per segment) and which ids were free text
  #correlation = 0;
  #trace = 0;
  #root = 0;
  #eventIdText = false;
  #parentText = false;
  #spanText = false;
  readonly #fields: Fields = {
    event: '',
    eventId: '',
    spanId: '',
    parentEventId: null,
    rootEventId: '',
    correlationId: '',
    traceId: '',
    depth: 0,
    agentId: 0,
    clientId: 0,
    sessionId: 0,
    originator: 0,
    timestamp: '',
    custom: 0,
  };

  /** True when the record at `offset` has these hash words. */
  matches(segment: HotSegment, offset: number, h0: number, h1: number, h2: number): boolean {
    const bytes = segment.bytes;
    return readWord(bytes, offset) === h0 && readWord(bytes, offset + 4) === h1 && readWord(bytes, offset + 8) === h2;
  }

  /** The first hash word of the record at `offset` (its home slot in the index). */
  firstWord(segment: HotSegment, offset: number): number {
    return readWord(segment.bytes, offset);
  }

  /** The hash words of the record at `offset`. */
  words(segment: HotSegment, offset: number): [number, number, number] {
    const bytes = segment.bytes;
    return [readWord(bytes, offset), readWord(bytes, offset + 4), readWord(bytes, offset + 8)];
  }

  /** The ref prefix (`ctx_<kind>_<agent>_`) and tenant of a record. */
  header(segment: HotSegment, offset: number): { prefix: string; tenantId: string } {
    this.#segment = segment;
    this.#position = offset + 12;
    const prefix = segment.strings[this.#varint()] ?? '';
    const tenantId = segment.strings[this.#varint()] ?? '';
    return { prefix, tenantId };
  }

  /** Decodes the record at `offset` when it belongs to `tenantId` and its full reference is `ref`. */
  decodeOwned(segment: HotSegment, offset: number, tenantId: string, ref: string): HotEntry | undefined {
    if (!this.#owned(segment, offset, tenantId, ref)) return undefined;
    return this.#entry(tenantId, ref);
  }

  /** Decodes the record at `offset` (its ref is `ref`). */
  decode(segment: HotSegment, offset: number, ref: string): HotEntry {
    const { tenantId } = this.header(segment, offset);
    return this.#entry(tenantId, ref);
  }

  /** The context of the record at `offset` as JSON text, when it belongs to `tenantId` and is `ref`. */
  json(segment: HotSegment, offset: number, tenantId: string, ref: string): string | undefined {
    if (!this.#owned(segment, offset, tenantId, ref)) return undefined;
    const fields = this.#read();
    const eventId = this.#eventIdText ? JSON.stringify(fields.eventId) : `"${fields.eventId}"`;
    const parent = fields.parentEventId;
    return (
      `{"eventId":${eventId},"correlationId":${segment.quoted(this.#correlation)}` +
      `,"parentEventId":${parent === null ? 'null' : this.#parentText ? JSON.stringify(parent) : `"${parent}"`}` +
      `,"rootEventId":${this.#root === 0 ? eventId : segment.quoted(this.#root)},"depth":${fields.depth}` +
      `,"agentId":${segment.quoted(fields.agentId)},"clientId":${segment.quoted(fields.clientId)}` +
      `,"sessionId":${segment.quoted(fields.sessionId)},"originator":${segment.quoted(fields.originator)}` +
      `,"timestamp":"${fields.timestamp}","traceId":${segment.quoted(this.#trace)}` +
      `,"spanId":${this.#spanText ? JSON.stringify(fields.spanId) : `"${fields.spanId}"`}` +
      `,"custom":${fields.custom === 0 ? '{}' : segment.strings[fields.custom]}}`
    );
  }

  #owned(segment: HotSegment, offset: number, tenantId: string, ref: string): boolean {
    this.#segment = segment;
    this.#position = offset + 12;
    const prefix = segment.strings[this.#varint()] ?? '';
    if (segment.strings[this.#varint()] !== tenantId) return false;
    return ref.length === prefix.length + 24 && ref.startsWith(prefix);
  }

  /** Reads the fields after the header (the position is just past the tenant). */
  #read(): Fields {
    const segment = this.#segment;
    const bytes = segment.bytes;
    const strings = segment.strings;
    const fields = this.#fields;
    fields.event = strings[this.#varint()] ?? '';
    let eventId: string | null = null;
    const eventTag = bytes[this.#position];
    this.#eventIdText = eventTag === 2;
    if (eventTag === 0) this.#position += 1;
    else eventId = this.#eventId();
    const spanTag = bytes[this.#position++];
    this.#spanText = spanTag !== 1;
    if (spanTag === 1) {
      fields.spanId = hex16(bytes, this.#position);
      if (eventId === null) eventId = eventIdHex(bytes, this.#position);
      this.#position += 8;
    } else fields.spanId = this.#text();
    fields.eventId = eventId ?? `evt_${fields.spanId}`;
    this.#parentText = bytes[this.#position] === 2;
    fields.parentEventId = this.#eventId();
    this.#root = this.#varint();
    fields.rootEventId = this.#root === 0 ? fields.eventId : (strings[this.#root] ?? '');
    this.#correlation = this.#varint();
    fields.correlationId = strings[this.#correlation] ?? '';
    this.#trace = this.#varint();
    fields.traceId = strings[this.#trace] ?? '';
    fields.depth = this.#varint();
    fields.agentId = this.#varint();
    fields.clientId = this.#varint();
    fields.sessionId = this.#varint();
    fields.originator = this.#varint();
    fields.timestamp = this.#timestamp();
    fields.custom = this.#varint();
    return fields;
  }

  #entry(tenantId: string, ref: string): HotEntry {
    const fields = this.#read();
    const strings = this.#segment.strings;
    const customText = fields.custom === 0 ? undefined : strings[fields.custom];
    return {
      tenantId,
      ref,
      event: fields.event,
      context: {
        eventId: fields.eventId,
        correlationId: fields.correlationId,
        parentEventId: fields.parentEventId,
        rootEventId: fields.rootEventId,
        depth: fields.depth,
        agentId: fields.agentId === 0 ? null : (strings[fields.agentId] ?? null),
        clientId: fields.clientId === 0 ? null : (strings[fields.clientId] ?? null),
        sessionId: fields.sessionId === 0 ? null : (strings[fields.sessionId] ?? null),
        originator: fields.originator === 0 ? null : (strings[fields.originator] ?? null),
        timestamp: fields.timestamp,
        traceId: fields.traceId,
        spanId: fields.spanId,
        custom: customText === undefined ? {} : (JSON.parse(customText) as { [key: string]: JsonValue }),
      },
    };
  }

  #varint(): number {
    const bytes = this.#segment.bytes;
    let byte = bytes[this.#position++] as number;
    if (byte < 0x80) return byte;
    let result = byte & 0x7f;
    let scale = 128;
    for (;;) {
      byte = bytes[this.#position++] as number;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
  }

  #text(): string {
    const size = this.#varint();
    const start = this.#position;
    this.#position += size;
    return this.#segment.bytes.toString('utf8', start, start + size);
  }

  #eventId(): string | null {
    const bytes = this.#segment.bytes;
    const tag = bytes[this.#position++];
    if (tag === 0) return null;
    if (tag === 1) {
      const id = eventIdHex(bytes, this.#position);
      this.#position += 8;
      return id;
    }
    return this.#text();
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
}
