import { canonicalCustom } from '../custom-fields.js';
import { encodeEntry, HotDecoder, type HotEntry, hashWords } from './hot-codec.js';
import { HotSegment, RECORDS_PER_SEGMENT } from './hot-segment.js';

export type { HotEntry } from './hot-codec.js';

export interface HotTierOptions {
  /** Records inserted longer ago than this are evicted (default 24 h). */
  maxAgeMs?: number | undefined;
  /** Most records kept (default 1,000,000); eviction drops whole segments of 4,096, oldest first. */
  maxEvents?: number | undefined;
  /** Most bytes kept, approximately (default 256 MiB). */
  maxBytes?: number | undefined;
  /** The clock (tests age records with it). */
  now?: (() => number) | undefined;
}

export interface HotTierStats {
  events: number;
  segments: number;
  bytes: number;
  evicted: number;
}

const MAX_LOAD = 0.7;
/** Record numbers live in a Uint32Array; 0 marks an empty slot. Near the top the tier starts over (cold has it all). */
const LAST_RECORD = 0xffff_fff0;

/**
 * The hot tier: recent contexts in compact segments, found in O(1) through an open-addressing table of 32-bit
 * record numbers keyed by the reference's hash (linear probing, backward-shift deletion). About 60–70 bytes per
 * event where a map of objects takes 500. Bounded by age, count and bytes; what it drops stays in the cold tier.
 */
export class HotTier {
  readonly #maxAgeMs: number;
  readonly #maxEvents: number;
  readonly #maxBytes: number;
  readonly #now: () => number;
  readonly #decoder = new HotDecoder();
  #segments: HotSegment[] = [];
  #slots = new Uint32Array(1 << 14);
  #live = 0;
  #nextRecord = 1;
  #evicted = 0;
  /** Bytes of every segment but the last (the one still filling). */
  #fullBytes = 0;
  readonly #perTenant = new Map<string, number>();
  #segment: HotSegment | undefined;
  #offset = 0;

  constructor(options: HotTierOptions = {}) {
    this.#maxAgeMs = options.maxAgeMs ?? 24 * 60 * 60 * 1000;
    this.#maxEvents = Math.max(RECORDS_PER_SEGMENT, options.maxEvents ?? 1_000_000);
    this.#maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#live;
  }

  /** How many records of one tenant are here. */
  sizeOf(tenantId: string): number {
    return this.#perTenant.get(tenantId) ?? 0;
  }

  /** Adds an entry; false when its reference is already here (identical context). */
  insert(entry: HotEntry): boolean {
    const words = hashWords(entry.ref);
    if (words === undefined) throw new TypeError(`not a context reference: ${entry.ref}`);
    if (this.#find(words) !== 0) return false;
    if (this.#nextRecord >= LAST_RECORD) this.clear();
    let segment = this.#segments[this.#segments.length - 1];
    if (segment === undefined || segment.full) {
      if (segment !== undefined) {
        segment.trim();
        this.#fullBytes += segment.memoryBytes;
      }
      segment = new HotSegment(this.#nextRecord);
      this.#segments.push(segment);
    }
    encodeEntry(segment, entry, words, canonicalCustom(entry.context.custom));
    segment.lastInsertAt = this.#now();
    const record = this.#nextRecord++;
    this.#live += 1;
    this.#perTenant.set(entry.tenantId, (this.#perTenant.get(entry.tenantId) ?? 0) + 1);
    if (this.#live > this.#slots.length * MAX_LOAD) this.#grow();
    this.#place(record, words[0]);
    this.evictExpired();
    return true;
  }

  /** The entry of a reference in a tenant; undefined when it is not here (or belongs to another tenant). */
  get(tenantId: string, ref: string): HotEntry | undefined {
    const words = hashWords(ref);
    if (words === undefined) return undefined;
    const record = this.#find(words);
    if (record === 0) return undefined;
    const [segment, offset] = this.#locate(record);
    const header = this.#decoder.header(segment, offset);
    if (header.tenantId !== tenantId || ref.length !== header.prefix.length + 24 || !ref.startsWith(header.prefix)) {
      return undefined;
    }
    return this.#decoder.decode(segment, offset, ref);
  }

  has(tenantId: string, ref: string): boolean {
    return this.get(tenantId, ref) !== undefined;
  }

  /** Every entry, oldest first (checkpoints). */
  *entries(): IterableIterator<HotEntry> {
    for (const segment of [...this.#segments]) {
      for (let index = 0; index < segment.count; index += 1) {
        const offset = segment.offsets[index] ?? 0;
        const header = this.#decoder.header(segment, offset);
        const hash = this.#decoder
          .words(segment, offset)
          .map((word) => word.toString(16).padStart(8, '0'))
          .join('');
        yield this.#decoder.decode(segment, offset, `${header.prefix}${hash}`);
      }
    }
  }

  /** Drops segments whose newest record is older than the age limit, then the oldest while over a size bound. */
  evictExpired(): void {
    const oldest = this.#now() - this.#maxAgeMs;
    for (;;) {
      const first = this.#segments[0];
      if (first === undefined) return;
      const overAge = first.lastInsertAt < oldest;
      const overSize = this.#segments.length > 1 && (this.#live > this.#maxEvents || this.bytes > this.#maxBytes);
      if (!overAge && !overSize) return;
      this.#evictFirst();
    }
  }

  get bytes(): number {
    const last = this.#segments[this.#segments.length - 1];
    return this.#fullBytes + (last?.memoryBytes ?? 0) + this.#slots.byteLength;
  }

  stats(): HotTierStats {
    return { events: this.#live, segments: this.#segments.length, bytes: this.bytes, evicted: this.#evicted };
  }

  clear(): void {
    this.#evicted += this.#live;
    this.#segments = [];
    this.#slots = new Uint32Array(1 << 14);
    this.#live = 0;
    this.#fullBytes = 0;
    this.#perTenant.clear();
    this.#nextRecord = 1;
  }

  /** Sets #segment and #offset to where a record lives (no tuple allocated on the lookup path). */
  #at(record: number): void {
    const first = this.#segments[0];
    const segment =
      first === undefined ? undefined : this.#segments[Math.floor((record - first.firstRecord) / RECORDS_PER_SEGMENT)];
    if (segment === undefined) throw new Error(`hot tier: record ${record} has no segment`);
    this.#segment = segment;
    this.#offset = segment.offsets[record - segment.firstRecord] ?? 0;
  }

  #locate(record: number): [HotSegment, number] {
    this.#at(record);
    return [this.#segment as HotSegment, this.#offset];
  }

  #homeOf(record: number): number {
    this.#at(record);
    return this.#decoder.firstWord(this.#segment as HotSegment, this.#offset) & (this.#slots.length - 1);
  }

  #find(words: [number, number, number]): number {
    const mask = this.#slots.length - 1;
    for (let slot = words[0] & mask; ; slot = (slot + 1) & mask) {
      const record = this.#slots[slot] ?? 0;
      if (record === 0) return 0;
      this.#at(record);
      if (this.#decoder.matches(this.#segment as HotSegment, this.#offset, words)) return record;
    }
  }

  #place(record: number, firstWord: number): void {
    const mask = this.#slots.length - 1;
    let slot = firstWord & mask;
    while (this.#slots[slot] !== 0) slot = (slot + 1) & mask;
    this.#slots[slot] = record;
  }

  #grow(): void {
    const old = this.#slots;
    this.#slots = new Uint32Array(old.length * 2);
    for (const record of old) if (record !== 0) this.#place(record, this.#homeOf(record));
  }

  /** Knuth's algorithm R: empties a slot and shifts later members of its cluster back. */
  #remove(words: [number, number, number]): void {
    const mask = this.#slots.length - 1;
    let hole = words[0] & mask;
    const target = this.#find(words);
    if (target === 0) return;
    while (this.#slots[hole] !== target) hole = (hole + 1) & mask;
    this.#slots[hole] = 0;
    let next = hole;
    for (;;) {
      next = (next + 1) & mask;
      const record = this.#slots[next] ?? 0;
      if (record === 0) return;
      const home = this.#homeOf(record);
      const stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (stays) continue;
      this.#slots[hole] = record;
      this.#slots[next] = 0;
      hole = next;
    }
  }

  #evictFirst(): void {
    const segment = this.#segments[0];
    if (segment === undefined) return;
    for (let index = 0; index < segment.count; index += 1) {
      const offset = segment.offsets[index] ?? 0;
      this.#remove(this.#decoder.words(segment, offset));
      const { tenantId } = this.#decoder.header(segment, offset);
      const left = (this.#perTenant.get(tenantId) ?? 1) - 1;
      if (left === 0) this.#perTenant.delete(tenantId);
      else this.#perTenant.set(tenantId, left);
    }
    if (this.#segments.length > 1) this.#fullBytes -= segment.memoryBytes;
    this.#segments.shift();
    this.#live -= segment.count;
    this.#evicted += segment.count;
    if (this.#segments.length === 0) this.#nextRecord = 1;
  }
}
