import { ValidationError } from '../core/errors.js';

/** One line of a file: its text (UTF-8, without the newline) and its raw bytes (with the newline, when present). */
export interface RawLine {
  number: number;
  text: string;
  bytes: Buffer;
  /** False for a last line that ends without `\n`. */
  terminated: boolean;
}

/** The longest line accepted: far above any value the engine stores, low enough to refuse a runaway file. */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;

const NEWLINE = 0x0a;

/**
 * Splits a byte stream on `\n` without decoding first, so a checksum can cover the exact bytes
 * (readline would also split on a lone `\r` and hide it).
 */
/** Bytes to read: a stream, or any (async) iterable of chunks. */
export type ByteSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

export async function* readLines(source: ByteSource): AsyncGenerator<RawLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let number = 0;
  for await (const chunk of source) {
    let buffer =
      typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let index = buffer.indexOf(NEWLINE);
    while (index !== -1) {
      const head = buffer.subarray(0, index + 1);
      const bytes = pending.length === 0 ? Buffer.from(head) : Buffer.concat([...pending, head]);
      pending = [];
      pendingBytes = 0;
      number += 1;
      yield { number, text: bytes.subarray(0, bytes.length - 1).toString('utf8'), bytes, terminated: true };
      buffer = buffer.subarray(index + 1);
      index = buffer.indexOf(NEWLINE);
    }
    if (buffer.length > 0) {
      pending.push(Buffer.from(buffer));
      pendingBytes += buffer.length;
      if (pendingBytes > MAX_LINE_BYTES) {
        throw new ValidationError(`Line ${number + 1} is longer than ${MAX_LINE_BYTES} bytes`, { code: 'invalid_export' });
      }
    }
  }
  if (pending.length > 0) {
    const bytes = Buffer.concat(pending);
    number += 1;
    yield { number, text: bytes.toString('utf8'), bytes, terminated: false };
  }
}
