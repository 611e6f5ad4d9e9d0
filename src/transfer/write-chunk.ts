import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Writes a chunk, waiting for `drain` when the stream's buffer is full (so a large export never piles up in memory). */
export async function writeChunk(writable: Writable, chunk: string): Promise<void> {
  if (writable.destroyed) throw new Error('The output stream is closed');
  if (!writable.write(chunk)) await once(writable, 'drain');
}
