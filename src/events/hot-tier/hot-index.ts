const MAX_LOAD = 0.7;
const INITIAL_SLOTS = 1 << 14;

/**
 * The hot tier's hash index: open addressing with linear probing over pairs of 32-bit words — a record number
 * (0 = empty) and the first word of its reference hash, which is both its home slot and a tag. A lookup touches a
 * record only when the tag matches, and growing or deleting (backward shift, Knuth's algorithm R) never does: the
 * pairs are all it needs. 8 bytes per slot, at most 70 % full.
 */
export class HotIndex {
  #pairs = new Uint32Array(2 * INITIAL_SLOTS);
  #size = 0;

  get byteLength(): number {
    return this.#pairs.byteLength;
  }

  /**
   * The slots, for a lookup's probe loop (HotTier's, inlined there to reach the record's bytes without a callback):
   * slot `s` holds the record at `2 * s` (0 = empty) and its tag at `2 * s + 1`; a tag's home slot is
   * `tag & (slots - 1)` and collisions take the next slots, wrapping. Replaced, not changed in place, when it grows.
   */
  get pairs(): Uint32Array {
    return this.#pairs;
  }

  /** Adds a record (not already present) under its tag. */
  add(record: number, tag: number): void {
    if (this.#size + 1 > (this.#pairs.length >>> 1) * MAX_LOAD) this.#grow();
    this.#place(this.#pairs, record, tag);
    this.#size += 1;
  }

  /** Removes a record (found by its tag), shifting later members of its cluster back. */
  remove(record: number, tag: number): void {
    const pairs = this.#pairs;
    const mask = (pairs.length >>> 1) - 1;
    let hole = tag & mask;
    for (;;) {
      const here = pairs[2 * hole] as number;
      if (here === 0) return;
      if (here === record) break;
      hole = (hole + 1) & mask;
    }
    pairs[2 * hole] = 0;
    this.#size -= 1;
    let next = hole;
    for (;;) {
      next = (next + 1) & mask;
      const moved = pairs[2 * next] as number;
      if (moved === 0) return;
      const movedTag = pairs[2 * next + 1] as number;
      const home = movedTag & mask;
      const stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (stays) continue;
      pairs[2 * hole] = moved;
      pairs[2 * hole + 1] = movedTag;
      pairs[2 * next] = 0;
      hole = next;
    }
  }

  clear(): void {
    this.#pairs = new Uint32Array(2 * INITIAL_SLOTS);
    this.#size = 0;
  }

  #place(pairs: Uint32Array, record: number, tag: number): void {
    const mask = (pairs.length >>> 1) - 1;
    let slot = tag & mask;
    while (pairs[2 * slot] !== 0) slot = (slot + 1) & mask;
    pairs[2 * slot] = record;
    pairs[2 * slot + 1] = tag;
  }

  #grow(): void {
    const old = this.#pairs;
    const pairs = new Uint32Array(old.length * 2);
    for (let index = 0; index < old.length; index += 2) {
      const record = old[index] as number;
      if (record !== 0) this.#place(pairs, record, old[index + 1] as number);
    }
    this.#pairs = pairs;
  }
}
