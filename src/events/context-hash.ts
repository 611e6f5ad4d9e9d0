import * as crypto from 'node:crypto';
import type { EventContext } from '../core/event-context.js';
import type { HashWords } from './context-ref-parts.js';

/**
 * sha256 (base64) of a context's canonical text: every field length-prefixed (`<length>:<value>`, `-` for null) in a
 * fixed order, custom fields as canonical JSON. This is what a reference addresses, so the text must never change.
 *
 * An emit hashes one such text (about 230 characters): built by string concatenation it costs some 45 short-lived
 * strings, then a flattening copy and a UTF-8 conversion. Text that is all ASCII — nearly always: ids, names, ISO
 * times, hex — is written instead straight into one reused byte buffer (its UTF-8 bytes are its char codes) and
 * hashed from there. Anything else (a non-ASCII character, a text longer than the buffer) takes the string path, which
 * hashes the same bytes.
 */

/** Longer texts (large custom fields) take the string path. */
const MAX_BUFFERED_BYTES = 2048;
const scratch = new Uint8Array(MAX_BUFFERED_BYTES);
/** `scratch`'s first n bytes, by n: made on first use, at most one per length (bounded by the buffer's size). */
const prefixViews: (Uint8Array | undefined)[] = [];
/** Where the next byte goes; -1 once the text turned out not to fit or not to be ASCII. */
let position = 0;

/** `crypto.hash` (one call, Node ≥ 20.12) where available; the streaming API otherwise. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'base64') => string }).hash;
function sha256Base64(data: string | Uint8Array): string {
  return oneShot === undefined ? crypto.createHash('sha256').update(data).digest('base64') : oneShot('sha256', data, 'base64');
}

/**
 * Appends one field — its length in decimal, `:`, itself; `-` for null — when it is an all-ASCII string that fits;
 * otherwise marks the buffered text as failed (the string path then formats it exactly as before).
 */
function writeField(value: string | null): void {
  let at = position;
  if (at < 0) return;
  if (value === null) {
    if (at + 1 > MAX_BUFFERED_BYTES) position = -1;
    else {
      scratch[at] = 45; // -
      position = at + 1;
    }
    return;
  }
  if (typeof value !== 'string') {
    position = -1;
    return;
  }
  const length = value.length;
  // a field that fits has at most 4 length digits
  if (at + length + 5 > MAX_BUFFERED_BYTES) {
    position = -1;
    return;
  }
  if (length >= 1000) scratch[at++] = 48 + ((length / 1000) | 0);
  if (length >= 100) scratch[at++] = 48 + (((length / 100) | 0) % 10);
  if (length >= 10) scratch[at++] = 48 + (((length / 10) | 0) % 10);
  scratch[at++] = 48 + (length % 10);
  scratch[at++] = 58; // :
  for (let index = 0; index < length; index += 1) {
    const code = value.charCodeAt(index);
    if (code > 0x7f) {
      position = -1;
      return;
    }
    scratch[at + index] = code;
  }
  position = at + length;
}

/** A field in the text of the string path. */
function field(value: string | null): string {
  return value === null ? '-' : `${value.length}:${value}`;
}

/** The canonical text as one string (the path for non-ASCII or very long texts). */
function canonicalText(tenantId: string, eventName: string, context: EventContext, customText: string): string {
  return (
    field(tenantId) +
    field(eventName) +
    field(context.eventId) +
    field(context.correlationId) +
    field(context.parentEventId) +
    field(context.rootEventId) +
    field(String(context.depth)) +
    field(context.agentId) +
    field(context.clientId) +
    field(context.sessionId) +
    field(context.originator) +
    field(context.timestamp) +
    field(context.traceId) +
    field(context.spanId) +
    field(customText)
  );
}

/** The bytes written so far, as a view (one per length, reused). */
function writtenBytes(length: number): Uint8Array {
  let view = prefixViews[length];
  if (view === undefined) {
    view = scratch.subarray(0, length);
    prefixViews[length] = view;
  }
  return view;
}

/**
 * The 24 hex digits of a reference: the first 12 bytes of sha256 of the context's canonical text (with its custom
 * fields as `customText`, canonical JSON). Node makes base64 text of a digest faster than hex, and its first 16
 * digits are exactly those 12 bytes.
 */
export function contextHash(
  tenantId: string,
  eventName: string,
  context: EventContext,
  customText: string,
  words?: HashWords,
): string {
  return hex24OfBase64(contextHashBase64(tenantId, eventName, context, customText), words);
}

/** sha256 of the canonical text of a context, as base64. */
function contextHashBase64(tenantId: string, eventName: string, context: EventContext, customText: string): string {
  position = 0;
  writeField(tenantId);
  writeField(eventName);
  writeField(context.eventId);
  writeField(context.correlationId);
  writeField(context.parentEventId);
  writeField(context.rootEventId);
  writeField(String(context.depth));
  writeField(context.agentId);
  writeField(context.clientId);
  writeField(context.sessionId);
  writeField(context.originator);
  writeField(context.timestamp);
  writeField(context.traceId);
  writeField(context.spanId);
  writeField(customText);
  const length = position;
  if (length < 0) return sha256Base64(canonicalText(tenantId, eventName, context, customText));
  return sha256Base64(writtenBytes(length));
}

/** The 6-bit value of each base64 digit, by char code. */
const BASE64_VALUES = new Uint8Array(128);
const BASE64_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
for (let value = 0; value < 64; value += 1) BASE64_VALUES[BASE64_DIGITS.charCodeAt(value)] = value;
/** Char codes of the lower-case hex digits. */
const HEX_DIGIT_CODES = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

/** Three bytes (24 bits) from four base64 digits of `text` at `at`. */
function base64Group(text: string, at: number): number {
  return (
    ((BASE64_VALUES[text.charCodeAt(at)] as number) << 18) |
    ((BASE64_VALUES[text.charCodeAt(at + 1)] as number) << 12) |
    ((BASE64_VALUES[text.charCodeAt(at + 2)] as number) << 6) |
    (BASE64_VALUES[text.charCodeAt(at + 3)] as number)
  );
}

/** The hex digit (char code) of bits `shift`…`shift + 3` of `group`. */
function nibble(group: number, shift: number): number {
  return HEX_DIGIT_CODES[(group >>> shift) & 15] as number;
}

/**
 * The first 12 bytes of a base64 digest (its first 16 digits) as 24 lower-case hex digits, one flat string; and, when
 * `words` is given, as three 32-bit words (high byte first, as the hex reads).
 */
function hex24OfBase64(base64: string, words: HashWords | undefined): string {
  const g0 = base64Group(base64, 0);
  const g1 = base64Group(base64, 4);
  const g2 = base64Group(base64, 8);
  const g3 = base64Group(base64, 12);
  if (words !== undefined) {
    words.h0 = ((g0 << 8) | (g1 >>> 16)) >>> 0;
    words.h1 = (((g1 & 0xffff) << 16) | (g2 >>> 8)) >>> 0;
    words.h2 = (((g2 & 0xff) << 24) | g3) >>> 0;
  }
  return String.fromCharCode(
    nibble(g0, 20),
    nibble(g0, 16),
    nibble(g0, 12),
    nibble(g0, 8),
    nibble(g0, 4),
    nibble(g0, 0),
    nibble(g1, 20),
    nibble(g1, 16),
    nibble(g1, 12),
    nibble(g1, 8),
    nibble(g1, 4),
    nibble(g1, 0),
    nibble(g2, 20),
    nibble(g2, 16),
    nibble(g2, 12),
    nibble(g2, 8),
    nibble(g2, 4),
    nibble(g2, 0),
    nibble(g3, 20),
    nibble(g3, 16),
    nibble(g3, 12),
    nibble(g3, 8),
    nibble(g3, 4),
    nibble(g3, 0),
  );
}
