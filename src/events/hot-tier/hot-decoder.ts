import type { HotEntry } from './hot-codec.js';
import { CustomFields } from './hot-custom.js';
import { eventIdHex, hex16, quotedEventIdHex, quotedHex16, readWord } from './hot-hex.js';
import {
  AGENT_ID,
  CLIENT_ID,
  CORRELATION_ID,
  CUSTOM,
  DEPTH,
  EVENT_ID,
  EVT,
  NO_CUSTOM,
  NULL,
  ORIGINATOR,
  PARENT_EVENT_ID,
  ROOT_EVENT_ID,
  SESSION_ID,
  SPAN_ID,
  TIMESTAMP,
  TRACE_ID,
  writeHexId,
  writeQuoted,
  writeText,
} from './hot-json-pieces.js';
import type { HotSegment } from './hot-segment.js';
import { isoOf } from './hot-time.js';
import { afterVarint, textEnd, varintAt } from './hot-varint.js';
import type { JsonBytesWriter } from './json-bytes-writer.js';

/** Where a record's header (ref prefix and tenant ids) starts: after its three hash words. */
const HEADER = 12;

/**
 * Reads records back (the layout of encodeEntry): as objects (`decodeOwned`, `decode`), straight to JSON text
 * (`json`, with each interned string quoted once per segment) or to the same JSON as UTF-8 bytes (`writeJson`, for
 * `resolve_batch`). A record is read in one pass with
 * its position in a local, into the decoder's own fields, which `#entry` and `json` then assemble; so it is not
 * reentrant: one decoder per tier, used synchronously. Keeps the last timestamp it formatted (bursts share
 * milliseconds).
 */
export class HotDecoder {
  readonly #customs = new CustomFields();
  #lastMs = Number.NaN;
  #lastIso = '';
  // the fields of the last record read (string ids where `json` takes the interned string quoted)
  #event = '';
  #eventId = '';
  #spanId = '';
  #parentEventId: string | null = null;
  #root = 0;
  #correlation = 0;
  #trace = 0;
  #depth = 0;
  #agent = 0;
  #client = 0;
  #session = 0;
  #originator = 0;
  #timestamp = '';
  #custom = 0;
  // where `writeJson` finds the ids in the record: tags (see #read) and where their bytes start
  #eventTag = 0;
  #eventAt = 0;
  #spanTag = 0;
  #spanAt = 0;
  #parentTag = 0;
  #parentAt = 0;
  /** The last timestamp as ASCII bytes (`#lastIso`'s, when #isoMs is #lastMs); a Buffer, as all that `copy` reads. */
  readonly #isoBytes = Buffer.alloc(32);
  #isoLength = 0;
  #isoMs = Number.NaN;
  /** Where the last text read by `#text` ends. */
  #textEnd = 0;
  #viewBytes: Buffer | undefined;
  #dataView: DataView = new DataView(new ArrayBuffer(0));

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
    const bytes = segment.bytes;
    const at = offset + HEADER;
    const prefix = segment.strings[varintAt(bytes, at)] ?? '';
    const tenantId = segment.strings[varintAt(bytes, afterVarint(bytes, at))] ?? '';
    return { prefix, tenantId };
  }

  /** True when the record at `offset` belongs to `tenantId` and its full reference is `ref`. */
  owns(segment: HotSegment, offset: number, tenantId: string, ref: string): boolean {
    return this.#owned(segment, offset, tenantId, ref) >= 0;
  }

  /** Decodes the record at `offset` when it belongs to `tenantId` and its full reference is `ref`. */
  decodeOwned(segment: HotSegment, offset: number, tenantId: string, ref: string): HotEntry | undefined {
    const body = this.#owned(segment, offset, tenantId, ref);
    if (body < 0) return undefined;
    this.#read(segment, body, false);
    return this.#entry(segment, tenantId, ref);
  }

  /** Decodes the record at `offset` (its ref is `ref`). */
  decode(segment: HotSegment, offset: number, ref: string): HotEntry {
    const bytes = segment.bytes;
    const tenantAt = afterVarint(bytes, offset + HEADER);
    const tenantId = segment.strings[varintAt(bytes, tenantAt)] ?? '';
    this.#read(segment, afterVarint(bytes, tenantAt), false);
    return this.#entry(segment, tenantId, ref);
  }

  /**
   * The context of the record at `offset` as JSON text, when it belongs to `tenantId` and is `ref`. Interned strings
   * come quoted once per segment, generated ids are written quoted straight from their bytes. One template: the rope
   * it makes is cheaper to build and to flatten (in the batch's final join) than an array of pieces joined.
   */
  json(segment: HotSegment, offset: number, tenantId: string, ref: string): string | undefined {
    const body = this.#owned(segment, offset, tenantId, ref);
    if (body < 0) return undefined;
    this.#read(segment, body, true);
    const eventId = this.#eventId;
    return (
      `{"eventId":${eventId},"correlationId":${segment.quoted(this.#correlation)}` +
      `,"parentEventId":${this.#parentEventId ?? 'null'}` +
      `,"rootEventId":${this.#root === 0 ? eventId : segment.quoted(this.#root)},"depth":${this.#depth}` +
      `,"agentId":${segment.quoted(this.#agent)},"clientId":${segment.quoted(this.#client)}` +
      `,"sessionId":${segment.quoted(this.#session)},"originator":${segment.quoted(this.#originator)}` +
      `,"timestamp":"${this.#timestamp}","traceId":${segment.quoted(this.#trace)}` +
      `,"spanId":${this.#spanId},"custom":${this.#custom === 0 ? '{}' : segment.strings[this.#custom]}}`
    );
  }

  /**
   * `json` written as UTF-8 bytes into `writer` (false, with nothing written, when the record is not `ref` of
   * `tenantId`): the same bytes as the text, made without strings. Interned strings and custom fields are copied from
   * their bytes made once per segment, generated ids written as hex digits straight from the record.
   */
  writeJson(writer: JsonBytesWriter, segment: HotSegment, offset: number, tenantId: string, ref: string): boolean {
    const body = this.#owned(segment, offset, tenantId, ref);
    if (body < 0) return false;
    this.#readRest(segment.bytes, this.#readPositions(segment.bytes, body));
    writer.ascii(EVENT_ID);
    this.#writeEventId(writer, segment.bytes);
    writer.ascii(CORRELATION_ID);
    writeQuoted(writer, segment, this.#correlation);
    writer.ascii(PARENT_EVENT_ID);
    const parentTag = this.#parentTag;
    if (parentTag === 0) writer.ascii(NULL);
    else if (parentTag === 1) writeHexId(writer, segment.bytes, this.#parentAt, EVT);
    else writeText(writer, segment.bytes, this.#parentAt, false);
    writer.ascii(ROOT_EVENT_ID);
    if (this.#root === 0) this.#writeEventId(writer, segment.bytes);
    else writeQuoted(writer, segment, this.#root);
    writer.ascii(DEPTH);
    writer.digits(this.#depth);
    writer.ascii(AGENT_ID);
    writeQuoted(writer, segment, this.#agent);
    writer.ascii(CLIENT_ID);
    writeQuoted(writer, segment, this.#client);
    writer.ascii(SESSION_ID);
    writeQuoted(writer, segment, this.#session);
    writer.ascii(ORIGINATOR);
    writeQuoted(writer, segment, this.#originator);
    writer.ascii(TIMESTAMP);
    if (this.#isoMs !== this.#lastMs) this.#isoToBytes();
    writer.copy(this.#isoBytes, 0, this.#isoLength);
    writer.ascii(TRACE_ID);
    writeQuoted(writer, segment, this.#trace);
    writer.ascii(SPAN_ID);
    if (this.#spanTag === 1) writeHexId(writer, segment.bytes, this.#spanAt, undefined);
    else writeText(writer, segment.bytes, this.#spanAt, false);
    const custom = this.#custom;
    if (custom === 0) writer.ascii(NO_CUSTOM);
    else {
      writer.ascii(CUSTOM);
      const start = segment.customStart(custom);
      writer.copy(segment.customBytes.bytes, start, segment.customBytes.end(custom));
      writer.ensure(1);
      writer.byte(0x7d /* } */);
    }
    return true;
  }

  /** The event id: its own (generated or text) or `evt_<span>`. */
  #writeEventId(writer: JsonBytesWriter, bytes: Buffer): void {
    const eventTag = this.#eventTag;
    if (eventTag === 1) writeHexId(writer, bytes, this.#eventAt, EVT);
    else if (eventTag === 2) writeText(writer, bytes, this.#eventAt, false);
    else if (this.#spanTag === 1) writeHexId(writer, bytes, this.#spanAt, EVT);
    else writeText(writer, bytes, this.#spanAt, true);
  }

  /** The last timestamp's text as bytes (ASCII). */
  #isoToBytes(): void {
    const iso = this.#lastIso;
    const length = Math.min(iso.length, this.#isoBytes.length);
    for (let index = 0; index < length; index += 1) this.#isoBytes[index] = iso.charCodeAt(index);
    this.#isoLength = length;
    this.#isoMs = this.#lastMs;
  }

  /**
   * Where the record's body starts (just past its tenant) when it belongs to `tenantId` and its prefix is the one of
   * `ref` (whose hash words matched already); -1 otherwise.
   */
  #owned(segment: HotSegment, offset: number, tenantId: string, ref: string): number {
    const bytes = segment.bytes;
    const prefixAt = offset + HEADER;
    const tenantAt = afterVarint(bytes, prefixAt);
    if (segment.strings[varintAt(bytes, tenantAt)] !== tenantId) return -1;
    const prefix = segment.strings[varintAt(bytes, prefixAt)] ?? '';
    // lastIndexOf from 0 compares at 0 only, over twice as fast as startsWith on the references emits make (ropes)
    if (ref.length !== prefix.length + 24 || ref.lastIndexOf(prefix, 0) !== 0) return -1;
    return afterVarint(bytes, tenantAt);
  }

  /**
   * Reads the fields after the header (`at` is just past the tenant) into the decoder's fields; with `quoted`, the
   * event, span and parent ids as JSON text (a missing parent as `null`), for `json`.
   */
  #read(segment: HotSegment, at: number, quoted: boolean): void {
    const bytes = segment.bytes;
    let position = at;
    this.#event = segment.strings[varintAt(bytes, position)] ?? '';
    position = afterVarint(bytes, position);
    // the event id: 0 = `evt_<span>` (made from the span below), 1 = generated (8 bytes), 2 = text
    const eventTag = bytes[position] as number;
    let eventId = '';
    if (eventTag === 1) {
      eventId = quoted ? quotedEventIdHex(bytes, position + 1) : eventIdHex(bytes, position + 1);
      position += 9;
    } else if (eventTag === 2) {
      const text = this.#text(segment, position + 1);
      eventId = quoted ? JSON.stringify(text) : text;
      position = this.#textEnd;
    } else position += 1;
    // the span: 1 = 8 bytes, 2 = text
    if (bytes[position] === 1) {
      if (quoted) {
        if (eventTag === 0) eventId = quotedEventIdHex(bytes, position + 1);
        this.#spanId = quotedHex16(bytes, position + 1);
      } else if (eventTag === 0) {
        // one string for both: the span is a slice of the event id (no second conversion)
        eventId = eventIdHex(bytes, position + 1);
        this.#spanId = eventId.slice(4);
      } else this.#spanId = hex16(bytes, position + 1);
      position += 9;
    } else {
      const text = this.#text(segment, position + 1);
      this.#spanId = quoted ? JSON.stringify(text) : text;
      position = this.#textEnd;
      if (eventTag === 0) eventId = quoted ? JSON.stringify(`evt_${text}`) : `evt_${text}`;
    }
    this.#eventId = eventId;
    // the parent: 0 = none, 1 = generated (8 bytes), 2 = text
    const parentTag = bytes[position] as number;
    if (parentTag === 0) {
      this.#parentEventId = null;
      position += 1;
    } else if (parentTag === 1) {
      this.#parentEventId = quoted ? quotedEventIdHex(bytes, position + 1) : eventIdHex(bytes, position + 1);
      position += 9;
    } else {
      const text = this.#text(segment, position + 1);
      this.#parentEventId = quoted ? JSON.stringify(text) : text;
      position = this.#textEnd;
    }
    this.#readRest(bytes, position);
  }

  /**
   * Reads the ids after the header (`at` is just past the tenant) as tags and positions, for `writeJson`; returns
   * where the fields after them start (for #readRest).
   */
  #readPositions(bytes: Buffer, at: number): number {
    let position = afterVarint(bytes, at);
    const eventTag = bytes[position] as number;
    this.#eventTag = eventTag;
    this.#eventAt = position + 1;
    position = eventTag === 1 ? position + 9 : eventTag === 2 ? textEnd(bytes, position + 1) : position + 1;
    const spanTag = bytes[position] as number;
    this.#spanTag = spanTag;
    this.#spanAt = position + 1;
    position = spanTag === 1 ? position + 9 : textEnd(bytes, position + 1);
    const parentTag = bytes[position] as number;
    this.#parentTag = parentTag;
    this.#parentAt = position + 1;
    return parentTag === 0 ? position + 1 : parentTag === 1 ? position + 9 : textEnd(bytes, position + 1);
  }

  /** Reads the fields after the ids (`at`): interned ids, depth, timestamp and custom fields. */
  #readRest(bytes: Buffer, at: number): void {
    let position = at;
    this.#root = varintAt(bytes, position);
    position = afterVarint(bytes, position);
    this.#correlation = varintAt(bytes, position);
    position = afterVarint(bytes, position);
    this.#trace = varintAt(bytes, position);
    position = afterVarint(bytes, position);
    this.#depth = varintAt(bytes, position);
    position = afterVarint(bytes, position);
    this.#agent = varintAt(bytes, position);
    position = afterVarint(bytes, position);
    this.#client = varintAt(bytes, position);
    position = afterVarint(bytes, position);
    this.#session = varintAt(bytes, position);
    position = afterVarint(bytes, position);
    this.#originator = varintAt(bytes, position);
    position = afterVarint(bytes, position);
    const ms = this.#view(bytes).getFloat64(position, true);
    if (ms !== this.#lastMs) {
      this.#lastMs = ms;
      this.#lastIso = isoOf(ms);
    }
    this.#timestamp = this.#lastIso;
    this.#custom = varintAt(bytes, position + 8);
  }

  /** A fresh entry from the fields just read (new objects every time: callers may change what they get). */
  #entry(segment: HotSegment, tenantId: string, ref: string): HotEntry {
    const strings = segment.strings;
    const eventId = this.#eventId;
    const custom = this.#custom;
    return {
      tenantId,
      ref,
      event: this.#event,
      context: {
        eventId,
        correlationId: strings[this.#correlation] ?? '',
        parentEventId: this.#parentEventId,
        rootEventId: this.#root === 0 ? eventId : (strings[this.#root] ?? ''),
        depth: this.#depth,
        agentId: this.#agent === 0 ? null : (strings[this.#agent] ?? null),
        clientId: this.#client === 0 ? null : (strings[this.#client] ?? null),
        sessionId: this.#session === 0 ? null : (strings[this.#session] ?? null),
        originator: this.#originator === 0 ? null : (strings[this.#originator] ?? null),
        timestamp: this.#timestamp,
        traceId: strings[this.#trace] ?? '',
        spanId: this.#spanId,
        custom: custom === 0 ? {} : this.#customs.parse(strings[custom] as string),
      },
    };
  }

  /**
   * A DataView of a segment's bytes, for timestamps (inlined by the JIT where Buffer#readDoubleLE is a call): the
   * last one made is kept, and resolutions mostly stay in one segment for a while.
   */
  #view(bytes: Buffer): DataView {
    if (bytes !== this.#viewBytes) {
      this.#viewBytes = bytes;
      this.#dataView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    return this.#dataView;
  }

  /** The length-prefixed UTF-8 text at `at`; sets #textEnd. */
  #text(segment: HotSegment, at: number): string {
    const bytes = segment.bytes;
    const size = varintAt(bytes, at);
    const start = afterVarint(bytes, at);
    this.#textEnd = start + size;
    return bytes.toString('utf8', start, start + size);
  }
}
