interface Slot<V> {
  value: V;
  /** Looked up since it was set or last given its second chance. */
  used: boolean;
}

/**
 * A memo bounded to `maxEntries` that evicts about the least recently used entry (second-chance FIFO, i.e. CLOCK): a
 * hit is one Map.get and a flag set, where an LRU hit is a get, a delete and a set (which dominated the assembler's
 * ~66 block lookups per assembly). When full, the oldest entry goes, unless it was used since it was set or last
 * passed over: then it loses its flag and moves to the back instead. So an entry in use stays however many others
 * come and go, and all `maxEntries` stay useful (a miss on a block costs a tokenisation, far more than a lookup).
 */
export class SecondChanceMemo<K, V> {
  readonly #slots = new Map<K, Slot<V>>();
  readonly #maxEntries: number;
  /**
   * The front of the queue: a live iterator over the Map, which sees entries added after it was made (those moved to
   * the back included) and never goes back over deleted ones, so each eviction does not rescan the holes they leave.
   */
  #front: IterableIterator<[K, Slot<V>]>;

  constructor(maxEntries: number) {
    this.#maxEntries = Math.max(1, maxEntries);
    this.#front = this.#slots.entries();
  }

  get size(): number {
    return this.#slots.size;
  }

  get(key: K): V | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    slot.used = true;
    return slot.value;
  }

  set(key: K, value: V): void {
    const slot = this.#slots.get(key);
    if (slot !== undefined) {
      slot.value = value;
      return;
    }
    this.#slots.set(key, { value, used: false });
    // Each turn evicts or clears a flag, so this ends within one pass over the entries.
    while (this.#slots.size > this.#maxEntries) {
      let next = this.#front.next();
      // A finished iterator stays finished, even when entries are added later: start again from the oldest.
      if (next.done) {
        this.#front = this.#slots.entries();
        next = this.#front.next();
      }
      if (next.done) return;
      const [oldest, candidate] = next.value;
      this.#slots.delete(oldest);
      if (candidate.used) {
        candidate.used = false;
        this.#slots.set(oldest, candidate);
      }
    }
  }
}
