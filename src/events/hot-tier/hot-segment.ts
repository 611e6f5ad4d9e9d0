import { grownBuffer } from './grown-buffer.js';
import { HotTextBytes } from './hot-text-bytes.js';

/** Records per segment: eviction drops the oldest segment whole. */
export const RECORDS_PER_SEGMENT = 4096;
const INITIAL_BYTES = 16 * 1024;

/**
 * The fields whose last interned value a segment remembers: consecutive events of one request mostly repeat their
 * tenant, root, correlation, trace, client and session, which then cost a comparison instead of a map lookup.
 */
export const InternSlot = {
  Tenant: 0,
  Event: 1,
  Root: 2,
  Correlation: 3,
  Trace: 4,
  Agent: 5,
  Client: 6,
  Session: 7,
  Originator: 8,
} as const;
const INTERN_SLOTS = 9;

/**
 * What a segment's inserts remember, so that repeats cost a comparison: the last value (and id) of each InternSlot,
 * and the ref prefix id of each (event name, agent) pair of ids. Its strings are in the segment's table anyway.
 */
interface InsertMemo {
  values: (string | null)[];
  ids: number[];
  prefixIds: Map<number, number>;
}

function newInsertMemo(): InsertMemo {
  return {
    values: new Array<string | null>(INTERN_SLOTS).fill(null),
    ids: new Array<number>(INTERN_SLOTS).fill(0),
    prefixIds: new Map(),
  };
}

/**
 * A run of consecutive hot records in one growable byte arena, with its own string table: repeated strings
 * (tenant, event name, correlation, agent, session, trace, root) are stored once per segment and records hold
 * small varint ids. A segment and its strings are dropped together, so nothing outlives its records.
 */
export class HotSegment {
  readonly firstRecord: number;
  count = 0;
  readonly offsets = new Uint32Array(RECORDS_PER_SEGMENT);
  bytes: Buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  length = 0;
  /** Index 0 is never used: id 0 means null. */
  readonly strings: string[] = [''];
  readonly #ids = new Map<string, number>();
  /** The JSON text of each string (`"…"`), made on first use by `quoted`. */
  readonly #quoted: (string | undefined)[] = ['null'];
  /** The UTF-8 of each string's JSON text and of custom fields' canonical JSON: made on first use by `quotedStart` and `customStart`. */
  readonly quotedBytes = new HotTextBytes();
  readonly customBytes = new HotTextBytes();
  /** What inserts remember (see InsertMemo); dropped once the segment is full. */
  #memo: InsertMemo | undefined = newInsertMemo();
  stringBytes = 0;
  /** Insertion time (ms) of the newest record: the segment expires when even that one is too old. */
  lastInsertAt = 0;
  /** `memoryBytes` when the tier counted the segment as full (-1 before); growth since goes to `tally.late`. */
  accountedBytes = -1;
  /** The tier's count of bytes its full segments grew by after they were counted (caches made by reads). */
  readonly #tally: { late: number };

  constructor(firstRecord: number, tally: { late: number } = { late: 0 }) {
    this.firstRecord = firstRecord;
    this.#tally = tally;
  }

  /** Bytes held beyond what the tier counted when the segment filled. */
  get lateBytes(): number {
    return this.accountedBytes < 0 ? 0 : this.memoryBytes - this.accountedBytes;
  }

  get full(): boolean {
    return this.count >= RECORDS_PER_SEGMENT;
  }

  /** Approximate bytes held: arena, offsets and strings (a string costs its characters plus a map entry). */
  get memoryBytes(): number {
    return this.bytes.byteLength + this.offsets.byteLength + this.stringBytes;
  }

  intern(value: string | null): number {
    if (value === null) return 0;
    let id = this.#ids.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(value);
      this.#ids.set(value, id);
      this.#grow(value.length + 64);
    }
    return id;
  }

  /** A string as JSON text (`null` for id 0), quoted once per segment however often it is resolved. */
  quoted(id: number): string {
    let text = this.#quoted[id];
    if (text === undefined) {
      text = JSON.stringify(this.strings[id] ?? null);
      this.#quoted[id] = text;
      this.#grow(text.length + 16);
    }
    return text;
  }

  /**
   * Where the UTF-8 of string `id`'s JSON text (`quoted`'s text, as bytes) starts in `quotedBytes.bytes` (its end is
   * `quotedBytes.end(id)`), made once per segment however often it is resolved.
   */
  quotedStart(id: number): number {
    const start = this.quotedBytes.start(id);
    if (start >= 0) return start;
    this.#grow(this.quotedBytes.add(id, id === 0 ? 'null' : JSON.stringify(this.strings[id] ?? null)));
    return this.quotedBytes.start(id);
  }

  /** Where the UTF-8 of string `id` (a custom field's canonical JSON) starts in `customBytes.bytes`, made once. */
  customStart(id: number): number {
    const start = this.customBytes.start(id);
    if (start >= 0) return start;
    this.#grow(this.customBytes.add(id, this.strings[id] ?? '{}'));
    return this.customBytes.start(id);
  }

  /** Counts bytes the strings or caches grew by, in the tier's tally too once the segment was counted as full. */
  #grow(bytes: number): void {
    this.stringBytes += bytes;
    if (this.accountedBytes >= 0) this.#tally.late += bytes;
  }

  /** `intern`, answered without a map lookup when `value` is what the same slot interned last. */
  internRepeated(slot: number, value: string | null): number {
    const memo = this.#memo ?? this.#newMemo();
    if (value === memo.values[slot]) return memo.ids[slot] as number;
    const id = this.intern(value);
    memo.values[slot] = value;
    memo.ids[slot] = id;
    return id;
  }

  /**
   * Interns a reference's readable prefix (`ctx_<kind>_<agent>_`). The router derives it from the event name and
   * agent alone, so it is remembered by their ids (`event`, `agent`: from `intern`) and checked with `startsWith`: the
   * ref is sliced (and its prefix hashed for the map) only the first time, or when a ref was made otherwise.
   */
  internPrefix(ref: string, event: number, agent: number): number {
    const memo = this.#memo ?? this.#newMemo();
    const length = ref.length - 24;
    // both ids below 2^15 (nearly always: a segment interns a few strings per record) make one small-integer key
    const key = event < 0x8000 && agent < 0x8000 ? event * 0x8000 + agent : -1;
    const known = key < 0 ? undefined : memo.prefixIds.get(key);
    if (known !== undefined) {
      const prefix = this.strings[known] as string;
      if (prefix.length === length && ref.startsWith(prefix)) return known;
    }
    const id = this.intern(ref.slice(0, length));
    if (key >= 0) memo.prefixIds.set(key, id);
    return id;
  }

  /** A fresh insert memo (a trimmed segment gets no more inserts, so this runs once per segment). */
  #newMemo(): InsertMemo {
    this.#memo = newInsertMemo();
    return this.#memo;
  }

  ensure(extra: number): void {
    if (this.length + extra <= this.bytes.byteLength) return;
    this.bytes = grownBuffer(this.bytes, this.length, this.length + extra);
  }

  /** Gives the arena back its unused tail (and drops the insert memo) once the segment is full. */
  trim(): void {
    this.#memo = undefined;
    if (this.length < this.bytes.byteLength) this.bytes = Buffer.from(this.bytes.subarray(0, this.length));
  }
}
