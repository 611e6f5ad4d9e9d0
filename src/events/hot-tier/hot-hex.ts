/**
 * Lower-case hex to and from bytes without Buffer calls or intermediate strings: the hot tier stores reference
 * hashes and generated span ids as raw bytes and turns them back into text on every resolution.
 */

/** Char codes of each byte's two hex digits: `HEX_CODES[2 * byte]` (high) and `HEX_CODES[2 * byte + 1]` (low). */
const HEX_CODES = new Uint8Array(512);
for (let byte = 0; byte < 256; byte += 1) {
  const text = byte.toString(16).padStart(2, '0');
  HEX_CODES[2 * byte] = text.charCodeAt(0);
  HEX_CODES[2 * byte + 1] = text.charCodeAt(1);
}

function high(bytes: Uint8Array, at: number): number {
  return HEX_CODES[2 * (bytes[at] as number)] as number;
}

function low(bytes: Uint8Array, at: number): number {
  return HEX_CODES[2 * (bytes[at] as number) + 1] as number;
}

/** The value of a lower-case hex digit (char code), -1 for anything else. */
export function hexDigit(code: number): number {
  return code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1;
}

/** Each ASCII char code's value as a lower-case hex digit, -1 for anything else: hexWord's one load per digit. */
const DIGITS = new Int8Array(128).fill(-1);
for (let digit = 0; digit < 16; digit += 1) DIGITS[digit.toString(16).charCodeAt(0)] = digit;

/**
 * Eight lower-case hex digits of `text` from `start` as an unsigned 32-bit word; -1 when they are not that. Every
 * lookup parses a reference's 24 digits, so this is a table load per digit with no branch: a bad digit (-1) or a code
 * past ASCII (127 - code < 0) sets the sign bit of `bad`, checked once at the end.
 */
export function hexWord(text: string, start: number): number {
  let word = 0;
  let bad = 0;
  for (let index = start; index < start + 8; index += 1) {
    const code = text.charCodeAt(index);
    const digit = DIGITS[code & 127] as number;
    bad |= digit | (127 - code);
    word = (word << 4) | digit;
  }
  return bad < 0 ? -1 : word >>> 0;
}

/** True when `text` is exactly `length` lower-case hex digits from `start` to its end. */
export function isHexTail(text: string, start: number, length: number): boolean {
  if (text.length !== start + length) return false;
  for (let index = start; index < text.length; index += 1) if (hexDigit(text.charCodeAt(index)) < 0) return false;
  return true;
}

/**
 * Writes `text` from `start` to its end as 8 bytes at `at` when it is exactly 16 lower-case hex digits; false (with
 * the 8 bytes left undefined) otherwise.
 */
export function writeHex16(bytes: Uint8Array, at: number, text: string, start: number): boolean {
  if (text.length !== start + 16) return false;
  for (let index = 0; index < 8; index += 1) {
    const position = start + 2 * index;
    const high = hexDigit(text.charCodeAt(position));
    const low = hexDigit(text.charCodeAt(position + 1));
    if (high < 0 || low < 0) return false;
    bytes[at + index] = high * 16 + low;
  }
  return true;
}

/** The 8 bytes at `at` as 16 hex digits (one flat string, no concatenation). */
export function hex16(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(
    high(bytes, at),
    low(bytes, at),
    high(bytes, at + 1),
    low(bytes, at + 1),
    high(bytes, at + 2),
    low(bytes, at + 2),
    high(bytes, at + 3),
    low(bytes, at + 3),
    high(bytes, at + 4),
    low(bytes, at + 4),
    high(bytes, at + 5),
    low(bytes, at + 5),
    high(bytes, at + 6),
    low(bytes, at + 6),
    high(bytes, at + 7),
    low(bytes, at + 7),
  );
}

/** `evt_` and the 8 bytes at `at` as hex: a generated event id, built as one flat string. */
export function eventIdHex(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(
    101,
    118,
    116,
    95,
    high(bytes, at),
    low(bytes, at),
    high(bytes, at + 1),
    low(bytes, at + 1),
    high(bytes, at + 2),
    low(bytes, at + 2),
    high(bytes, at + 3),
    low(bytes, at + 3),
    high(bytes, at + 4),
    low(bytes, at + 4),
    high(bytes, at + 5),
    low(bytes, at + 5),
    high(bytes, at + 6),
    low(bytes, at + 6),
    high(bytes, at + 7),
    low(bytes, at + 7),
  );
}

/** The 8 bytes at `at` as 16 hex digits in double quotes: a span id as JSON text, one flat string. */
export function quotedHex16(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(
    34,
    high(bytes, at),
    low(bytes, at),
    high(bytes, at + 1),
    low(bytes, at + 1),
    high(bytes, at + 2),
    low(bytes, at + 2),
    high(bytes, at + 3),
    low(bytes, at + 3),
    high(bytes, at + 4),
    low(bytes, at + 4),
    high(bytes, at + 5),
    low(bytes, at + 5),
    high(bytes, at + 6),
    low(bytes, at + 6),
    high(bytes, at + 7),
    low(bytes, at + 7),
    34,
  );
}

/** `"evt_…"`: a generated event id (`evt_` and the 8 bytes at `at` as hex) as JSON text, one flat string. */
export function quotedEventIdHex(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(
    34,
    101,
    118,
    116,
    95,
    high(bytes, at),
    low(bytes, at),
    high(bytes, at + 1),
    low(bytes, at + 1),
    high(bytes, at + 2),
    low(bytes, at + 2),
    high(bytes, at + 3),
    low(bytes, at + 3),
    high(bytes, at + 4),
    low(bytes, at + 4),
    high(bytes, at + 5),
    low(bytes, at + 5),
    high(bytes, at + 6),
    low(bytes, at + 6),
    high(bytes, at + 7),
    low(bytes, at + 7),
    34,
  );
}

/** A little-endian 32-bit word (offsets come from our own records, so no bounds checks). */
export function readWord(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset] as number) |
      ((bytes[offset + 1] as number) << 8) |
      ((bytes[offset + 2] as number) << 16) |
      ((bytes[offset + 3] as number) << 24)) >>>
    0
  );
}

/** Writes the 8 bytes of `source` at `from` as 16 hex digits (char codes) into `target` at `at`: ids as bytes, no string. */
export function writeHexCodes(target: Uint8Array, at: number, source: Uint8Array, from: number): void {
  for (let index = 0; index < 8; index += 1) {
    const byte = source[from + index] as number;
    target[at + 2 * index] = HEX_CODES[2 * byte] as number;
    target[at + 2 * index + 1] = HEX_CODES[2 * byte + 1] as number;
  }
}
