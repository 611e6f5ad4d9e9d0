import { writeHexCodes } from './hot-hex.js';
import type { HotSegment } from './hot-segment.js';
import { afterVarint, varintAt } from './hot-varint.js';
import { asciiBytes, type JsonBytesWriter } from './json-bytes-writer.js';

/** The constant pieces of a hot context's JSON as bytes, in its key order (that of `HotDecoder.json`). */
export const EVENT_ID = asciiBytes('{"eventId":');
export const CORRELATION_ID = asciiBytes(',"correlationId":');
export const PARENT_EVENT_ID = asciiBytes(',"parentEventId":');
export const ROOT_EVENT_ID = asciiBytes(',"rootEventId":');
export const DEPTH = asciiBytes(',"depth":');
export const AGENT_ID = asciiBytes(',"agentId":');
export const CLIENT_ID = asciiBytes(',"clientId":');
export const SESSION_ID = asciiBytes(',"sessionId":');
export const ORIGINATOR = asciiBytes(',"originator":');
export const TIMESTAMP = asciiBytes(',"timestamp":"');
export const TRACE_ID = asciiBytes('","traceId":');
export const SPAN_ID = asciiBytes(',"spanId":');
export const CUSTOM = asciiBytes(',"custom":');
export const NO_CUSTOM = asciiBytes(',"custom":{}}');
export const NULL = asciiBytes('null');
export const EVT = asciiBytes('"evt_');

/** The 8 bytes at `at` as quoted hex digits, after `evt_` when `prefix` is EVT (a generated event id). */
export function writeHexId(writer: JsonBytesWriter, bytes: Buffer, at: number, prefix: Uint8Array | undefined): void {
  writer.ensure(22);
  if (prefix === undefined) writer.byte(0x22 /* " */);
  else writer.ascii(prefix);
  writeHexCodes(writer.bytes, writer.length, bytes, at);
  writer.length += 16;
  writer.byte(0x22 /* " */);
}

/** String `id`'s JSON text, from the segment's bytes of it. */
export function writeQuoted(writer: JsonBytesWriter, segment: HotSegment, id: number): void {
  const start = segment.quotedStart(id);
  writer.copy(segment.quotedBytes.bytes, start, segment.quotedBytes.end(id));
}

/**
 * The length-prefixed UTF-8 text at `at` as a JSON string (after `evt_` with `evt`): copied between quotes when
 * nothing in it needs escaping (JSON.stringify escapes only quotes, backslashes and control characters, and the
 * stored UTF-8 came from a string, so it is well formed), else as JSON.stringify makes it.
 */
export function writeText(writer: JsonBytesWriter, bytes: Buffer, at: number, evt: boolean): void {
  const size = varintAt(bytes, at);
  const start = afterVarint(bytes, at);
  const end = start + size;
  for (let index = start; index < end; index += 1) {
    const byte = bytes[index] as number;
    if (byte < 0x20 || byte === 0x22 || byte === 0x5c) {
      const text = bytes.toString('utf8', start, end);
      writer.text(JSON.stringify(evt ? `evt_${text}` : text));
      return;
    }
  }
  if (evt) writer.ascii(EVT);
  else {
    writer.ensure(1);
    writer.byte(0x22 /* " */);
  }
  writer.copy(bytes, start, end);
  writer.ensure(1);
  writer.byte(0x22 /* " */);
}
