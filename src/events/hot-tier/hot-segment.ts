/** Records per segment: eviction drops the oldest segment whole. */
export const RECORDS_PER_SEGMENT = 4096;
const INITIAL_BYTES = 16 * 1024;

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
  #lastPrefix = '\u0000';
  #lastPrefixId = 0;
  stringBytes = 0;
  /** Insertion time (ms) of the newest record: the segment expires when even that one is too old. */
  lastInsertAt = 0;

  constructor(firstRecord: number) {
    this.firstRecord = firstRecord;
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
      this.stringBytes += value.length + 64;
    }
    return id;
  }

  /** A string as JSON text (`null` for id 0), quoted once per segment however often it is resolved. */
  quoted(id: number): string {
    let text = this.#quoted[id];
    if (text === undefined) {
      text = JSON.stringify(this.strings[id] ?? null);
      this.#quoted[id] = text;
      this.stringBytes += text.length + 16;
    }
    return text;
  }

  /** Interns a reference's readable prefix (`ctx_<kind>_<agent>_`), reusing the last one without slicing the ref. */
  internPrefix(ref: string): number {
    const last = this.#lastPrefix;
    if (ref.length === last.length + 24 && ref.startsWith(last)) return this.#lastPrefixId;
    this.#lastPrefix = ref.slice(0, ref.length - 24);
    this.#lastPrefixId = this.intern(this.#lastPrefix);
    return this.#lastPrefixId;
  }

  ensure(extra: number): void {
    if (this.length + extra <= this.bytes.byteLength) return;
    let size = this.bytes.byteLength * 2;
    while (size < this.length + extra) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }

  /** Gives the arena back its unused tail once the segment is full. */
  trim(): void {
    if (this.length < this.bytes.byteLength) this.bytes = Buffer.from(this.bytes.subarray(0, this.length));
  }
}
