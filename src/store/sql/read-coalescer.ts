interface Waiter<Row> {
  resolve: (row: Row | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Point reads made in one pass of the event loop, answered by one query (`loadMany`) instead of one round trip
 * each: with PostgreSQL, 32 writers resuming from one group commit make 32 reads of their key's current version
 * and of their tenant's policy. The query is sent once the current callbacks and microtasks have run
 * (process.nextTick), so it starts after every read it answers was asked: no read sees older data than a
 * query of its own would have.
 */
export class ReadCoalescer<Key, Row> {
  readonly #idOf: (key: Key) => string;
  readonly #loadMany: (keys: Key[]) => Promise<Map<string, Row>>;
  #pending = new Map<string, { key: Key; waiters: Waiter<Row>[] }>();
  #scheduled = false;

  /** `loadMany` answers rows by `idOf(key)`; a key it leaves out has no row. */
  constructor(idOf: (key: Key) => string, loadMany: (keys: Key[]) => Promise<Map<string, Row>>) {
    this.#idOf = idOf;
    this.#loadMany = loadMany;
  }

  load(key: Key): Promise<Row | undefined> {
    return new Promise<Row | undefined>((resolve, reject) => {
      const id = this.#idOf(key);
      let entry = this.#pending.get(id);
      if (entry === undefined) {
        entry = { key, waiters: [] };
        this.#pending.set(id, entry);
      }
      entry.waiters.push({ resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        process.nextTick(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#pending;
    this.#pending = new Map();
    this.#loadMany([...batch.values()].map((entry) => entry.key)).then(
      (rows) => {
        for (const [id, entry] of batch) {
          const row = rows.get(id);
          for (const waiter of entry.waiters) waiter.resolve(row);
        }
      },
      (error: unknown) => {
        for (const entry of batch.values()) for (const waiter of entry.waiters) waiter.reject(error);
      },
    );
  }
}
