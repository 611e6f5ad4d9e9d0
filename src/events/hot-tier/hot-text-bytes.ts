import { grownBuffer } from './grown-buffer.js';

const INITIAL_BYTES = 1024;

/**
 * UTF-8 bytes of texts made from a segment's strings (their JSON text, or a custom field's canonical JSON as is), by
 * string id, each made on first use and kept in one arena: `resolve_batch` copies them into its answer (no string,
 * no encoding) however often they are resolved. Dropped with its segment.
 */
export class HotTextBytes {
  /** The arena: entry `id` is `bytes[start(id) .. end(id)]`. */
  bytes: Buffer = Buffer.allocUnsafe(0);
  #length = 0;
  /** Start + 1 of each entry (0: not made yet), and its end. */
  #starts = new Int32Array(0);
  #ends = new Int32Array(0);

  /** Where entry `id` starts; -1 when it is not made yet (then `add` it). */
  start(id: number): number {
    return id < this.#starts.length ? (this.#starts[id] as number) - 1 : -1;
  }

  /** Where entry `id` ends (once made). */
  end(id: number): number {
    return this.#ends[id] as number;
  }

  /** Makes entry `id` from `text`; the bytes it adds to the segment's size (arena growth and index slots). */
  add(id: number, text: string): number {
    let added = 0;
    if (id >= this.#starts.length) {
      const size = Math.max(64, 2 * this.#starts.length, id + 1);
      added += 8 * (size - this.#starts.length);
      const starts = new Int32Array(size);
      starts.set(this.#starts);
      const ends = new Int32Array(size);
      ends.set(this.#ends);
      this.#starts = starts;
      this.#ends = ends;
    }
    const size = Buffer.byteLength(text, 'utf8');
    if (this.#length + size > this.bytes.length) {
      // outside Node's shared pool: a small arena must not pin an 8 kB pool slab
      const grown = grownBuffer(this.bytes, this.#length, this.#length + size, INITIAL_BYTES, Buffer.allocUnsafeSlow);
      added += grown.length - this.bytes.length;
      this.bytes = grown;
    }
    const start = this.#length;
    this.#length += this.bytes.write(text, start, size, 'utf8');
    this.#starts[id] = start + 1;
    this.#ends[id] = this.#length;
    return added;
  }
}
