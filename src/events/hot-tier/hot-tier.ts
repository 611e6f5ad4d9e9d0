import type { ContextRefParts } from '../context-ref-parts.js';
import { canonicalCustom } from '../custom-fields.js';
import { encodeEntry, type HotEntry, hexWordAt } from './hot-codec.js';
import { HotDecoder } from './hot-decoder.js';
import { hexWord, readWord } from './hot-hex.js';
import { HotIndex } from './hot-index.js';
import { HotSegment, RECORDS_PER_SEGMENT } from './hot-segment.js';
import type { JsonBytesWriter } from './json-bytes-writer.js';

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
  #live = 0;
  #nextRecord = 1;
  #evicted = 0;
  /** Bytes of every segment but the last (the one still filling). */
  #fullBytes = 0;
  /** Bytes full segments grew by after they were counted (read caches); kept by the segments themselves. */
  readonly #tally = { late: 0 };
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

  /**
   * Adds an entry; false when its reference is already here (identical context). The router passes what it has
   * already: `customText` (`canonicalCustom(entry.context.custom)`) and `parts` (the reference's prefix and hash words,
   * used when `parts.ref` is the entry's ref); anything not passed is computed from the entry.
   */
  insert(entry: HotEntry, customText: string = canonicalCustom(entry.context.custom), parts?: ContextRefParts): boolean {
    const { ref } = entry;
    let h0: number;
    let h1: number;
    let h2: number;
    let prefix: string | undefined;
    if (parts !== undefined && parts.ref === ref) {
      ({ h0, h1, h2, prefix } = parts);
    } else {
      // the reference's 24 hex digits as three words, parsed into locals (no array per insert)
      const start = ref.length - 24;
      h0 = start < 5 || ref.charCodeAt(start - 1) !== 95 /* _ */ ? -1 : hexWordAt(ref, start);
      h1 = h0 < 0 ? -1 : hexWordAt(ref, start + 8);
      h2 = h1 < 0 ? -1 : hexWordAt(ref, start + 16);
      if (h2 < 0) throw new TypeError(`not a context reference: ${ref}`);
    }
    if (this.#find(h0, h1, h2) !== 0) return false;
    if (this.#nextRecord >= LAST_RECORD) this.clear();
    let segment = this.#segments[this.#segments.length - 1];
    if (segment === undefined || segment.full) {
      if (segment !== undefined) {
        segment.trim();
        segment.accountedBytes = segment.memoryBytes;
        this.#fullBytes += segment.accountedBytes;
      }
      segment = new HotSegment(this.#nextRecord, this.#tally);
      this.#segments.push(segment);
    }
    encodeEntry(segment, entry, h0, h1, h2, customText, prefix);
    const now = this.#now();
    segment.lastInsertAt = now;
    const record = this.#nextRecord++;
    this.#live += 1;
    this.#perTenant.set(entry.tenantId, (this.#perTenant.get(entry.tenantId) ?? 0) + 1);
    this.#index.add(record, h0);
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

  /** `json` written as UTF-8 bytes into `writer` (the same bytes); false, with nothing written, when it is not here. */
  writeJson(writer: JsonBytesWriter, tenantId: string, ref: string): boolean {
    if (!this.#lookup(ref)) return false;
    return this.#decoder.writeJson(writer, this.#segment as HotSegment, this.#offset, tenantId, ref);
  }

  has(tenantId: string, ref: string): boolean {
    return this.#lookup(ref) && this.#decoder.owns(this.#segment as HotSegment, this.#offset, tenantId, ref);
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
    return this.#fullBytes + this.#tally.late + (last?.memoryBytes ?? 0) + this.#index.byteLength;
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
    this.#tally.late = 0;
    this.#perTenant.clear();
    this.#nextRecord = 1;
  }

  /** Finds a reference's record by its hash (no array allocated) and leaves #segment and #offset on it. */
  #lookup(ref: string): boolean {
    const start = ref.length - 24;
    if (start < 5 || ref.charCodeAt(start - 1) !== 95 /* _ */) return false;
    const h0 = hexWord(ref, start);
    if (h0 < 0) return false;
    // the home slot is read before the other two words are parsed, so that its likely cache miss (the index is
    // megabytes, hit at random) overlaps that work instead of following it; an empty one ends the lookup
    const pairs = this.#index.pairs;
    const home = pairs[2 * (h0 & ((pairs.length >>> 1) - 1))] as number;
    const h1 = hexWord(ref, start + 8);
    const h2 = hexWord(ref, start + 16);
    if (home === 0 || h1 < 0 || h2 < 0) return false;
    return this.#find(h0, h1, h2) !== 0;
  }

  /**
   * The record with these hash words (0 when none); #segment and #offset are left on it. The probe loop is HotIndex's,
   * written out here so that a tag match goes straight to the record's bytes (no callback per candidate). A record's
   * first word is its tag, so only the other two are compared.
   */
  #find(h0: number, h1: number, h2: number): number {
    const segments = this.#segments;
    const first = segments[0];
    if (first === undefined) return 0;
    const base = first.firstRecord;
    const pairs = this.#index.pairs;
    const mask = (pairs.length >>> 1) - 1;
    for (let slot = h0 & mask; ; slot = (slot + 1) & mask) {
      const record = pairs[2 * slot] as number;
      if (record === 0) return 0;
      if (pairs[2 * slot + 1] !== h0) continue;
      const segment = segments[((record - base) / RECORDS_PER_SEGMENT) | 0] as HotSegment;
      const offset = segment.offsets[record - segment.firstRecord] as number;
      const bytes = segment.bytes;
      if (readWord(bytes, offset + 4) === h1 && readWord(bytes, offset + 8) === h2) {
        this.#segment = segment;
        this.#offset = offset;
        return record;
      }
    }
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
    // what was counted when it filled, and what its caches grew by since (the last segment was never counted)
    if (segment.accountedBytes >= 0) {
      this.#tally.late -= segment.lateBytes;
      this.#fullBytes -= segment.accountedBytes;
    }
    this.#segments.shift();
    this.#live -= segment.count;
    this.#evicted += segment.count;
    if (this.#segments.length === 0) this.#nextRecord = 1;
  }
}
