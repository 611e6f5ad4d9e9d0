import { canonicalCustom } from '../custom-fields.js';
import { encodeEntry, type HotEntry, hashWords } from './hot-codec.js';
import { HotDecoder } from './hot-decoder.js';
import { hexWord } from './hot-hex.js';
import { HotIndex } from './hot-index.js';
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

/** Record numbers live in a Uint32Array; 0 marks an empty slot. Near the top the tier starts over (cold has it all). */
const LAST_RECORD = 0xffff_fff0;

/**
 * The hot tier: recent contexts in compact segments, found in O(1) through HotIndex (record numbers tagged with the
 * reference hash's first word). About 75–85 bytes per event where a map of objects takes 770. Resolutions decode a
 * fresh object (`get`) or JSON text (`json`). Bounded by age, count and bytes; what it drops stays in the cold tier.
 */
export class HotTier {
  readonly #maxAgeMs: number;
  readonly #maxEvents: number;
  readonly #maxBytes: number;
  readonly #now: () => number;
  readonly #decoder = new HotDecoder();
  #segments: HotSegment[] = [];
  readonly #index = new HotIndex();
  /** The hash words being looked up, for #isMatch (no closure or array per lookup). */
  #h0 = 0;
  #h1 = 0;
  #h2 = 0;
  readonly #isMatch = (record: number): boolean => {
    this.#at(record);
    return this.#decoder.matches(this.#segment as HotSegment, this.#offset, this.#h0, this.#h1, this.#h2);
  };
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
    if (this.#find(words[0], words[1], words[2]) !== 0) return false;
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
    const now = this.#now();
    segment.lastInsertAt = now;
    const record = this.#nextRecord++;
    this.#live += 1;
    this.#perTenant.set(entry.tenantId, (this.#perTenant.get(entry.tenantId) ?? 0) + 1);
    this.#index.add(record, words[0]);
    this.evictExpired(now);
    return true;
  }

  /** The entry of a reference in a tenant; undefined when it is not here (or belongs to another tenant). */
  get(tenantId: string, ref: string): HotEntry | undefined {
    if (!this.#lookup(ref)) return undefined;
    return this.#decoder.decodeOwned(this.#segment as HotSegment, this.#offset, tenantId, ref);
  }

  /** The context of a reference in a tenant as JSON text (no object built); undefined when it is not here. */
  json(tenantId: string, ref: string): string | undefined {
    if (!this.#lookup(ref)) return undefined;
    return this.#decoder.json(this.#segment as HotSegment, this.#offset, tenantId, ref);
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
  evictExpired(now = this.#now()): void {
    const oldest = now - this.#maxAgeMs;
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
    return this.#fullBytes + (last?.memoryBytes ?? 0) + this.#index.byteLength;
  }

  stats(): HotTierStats {
    return { events: this.#live, segments: this.#segments.length, bytes: this.bytes, evicted: this.#evicted };
  }

  clear(): void {
    this.#evicted += this.#live;
    this.#segments = [];
    this.#index.clear();
    this.#live = 0;
    this.#fullBytes = 0;
    this.#perTenant.clear();
    this.#nextRecord = 1;
  }

  /** Sets #segment and #offset to where a record lives (no tuple allocated on the lookup path). */
  #at(record: number): void {
    const first = this.#segments[0];
    const segment = first === undefined ? undefined : this.#segments[((record - first.firstRecord) / RECORDS_PER_SEGMENT) | 0];
    if (segment === undefined) throw new Error(`hot tier: record ${record} has no segment`);
    this.#segment = segment;
    this.#offset = segment.offsets[record - segment.firstRecord] ?? 0;
  }

  /** Finds a reference's record by its hash (no array allocated) and leaves #segment and #offset on it. */
  #lookup(ref: string): boolean {
    const start = ref.length - 24;
    if (start < 5 || ref.charCodeAt(start - 1) !== 95 /* _ */) return false;
    const h0 = hexWord(ref, start);
    const h1 = hexWord(ref, start + 8);
    const h2 = hexWord(ref, start + 16);
    if (h0 < 0 || h1 < 0 || h2 < 0) return false;
    return this.#find(h0, h1, h2) !== 0;
  }

  /** The record with these hash words (0 when none); #segment and #offset are left on it. */
  #find(h0: number, h1: number, h2: number): number {
    this.#h0 = h0;
    this.#h1 = h1;
    this.#h2 = h2;
    return this.#index.find(h0, this.#isMatch);
  }

  #evictFirst(): void {
    const segment = this.#segments[0];
    if (segment === undefined) return;
    for (let index = 0; index < segment.count; index += 1) {
      const offset = segment.offsets[index] ?? 0;
      this.#index.remove(segment.firstRecord + index, this.#decoder.firstWord(segment, offset));
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
