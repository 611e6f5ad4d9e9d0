import { grownBuffer } from './grown-buffer.js';

/**
 * The ASCII bytes of `text` (constant JSON pieces, written by JsonBytesWriter.ascii): a Buffer like every other
 * source of `copy`, so that its loop reads one kind of array.
 */
export function asciiBytes(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** Copies shorter than this are a loop (inlined by the JIT); longer ones are one native copy. */
const LOOP_COPY = 48;

/**
 * JSON written as UTF-8 bytes into one growable buffer: a batch of a thousand contexts written as strings costs a join
 * of many small pieces (flattening ropes of a few hundred kilobytes) and then encoding them again; written as bytes,
 * each piece is copied once, into the buffer that is sent. The caller makes room (`ensure`) before writing pieces
 * whose size it knows; `copy` and `ascii` make their own.
 */
export class JsonBytesWriter {
  bytes: Buffer;
  length = 0;

  constructor(capacity: number) {
    this.bytes = Buffer.allocUnsafe(Math.max(64, capacity));
  }

  /** Room for `extra` more bytes (the buffer doubles when it must grow). */
  ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    this.bytes = grownBuffer(this.bytes, this.length, this.length + extra);
  }

  /** One byte (room made by the caller). */
  byte(code: number): void {
    this.bytes[this.length] = code;
    this.length += 1;
  }

  /** Constant bytes (from asciiBytes). */
  ascii(codes: Uint8Array): void {
    this.copy(codes, 0, codes.length);
  }

  /** `source` from `start` to `end`. */
  copy(source: Uint8Array, start: number, end: number): void {
    const size = end - start;
    this.ensure(size);
    const bytes = this.bytes;
    let at = this.length;
    if (size < LOOP_COPY) {
      for (let index = start; index < end; index += 1) bytes[at++] = source[index] as number;
    } else {
      bytes.set(source.subarray(start, end), at);
      at += size;
    }
    this.length = at;
  }

  /** `text` as UTF-8, copied code by code when it is all ASCII (references are: their pattern says so). */
  asciiText(text: string): void {
    const size = text.length;
    this.ensure(size);
    const bytes = this.bytes;
    let at = this.length;
    let codes = 0;
    for (let index = 0; index < size; index += 1) {
      const code = text.charCodeAt(index);
      codes |= code;
      bytes[at++] = code;
    }
    if (codes < 0x80) this.length = at;
    else this.text(text);
  }

  /** Any text as UTF-8. */
  text(text: string): void {
    const size = Buffer.byteLength(text, 'utf8');
    this.ensure(size);
    this.length += this.bytes.write(text, this.length, size, 'utf8');
  }

  /** A non-negative integer in decimal. */
  digits(value: number): void {
    if (value < 10) {
      this.ensure(1);
      this.byte(48 + value);
    } else this.asciiText(String(value));
  }

  /** What was written (a view of the buffer, no copy). */
  result(): Buffer {
    return this.bytes.subarray(0, this.length);
  }
}
