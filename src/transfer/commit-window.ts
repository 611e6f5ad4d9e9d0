/**
 * Runs writes with bounded concurrency so the store can group them into shared commits (SQLite group commit),
 * while a task may wait for another (the previous version of the same key). The first failure stops new work
 * and is rethrown by `drain`.
 */
export class CommitWindow {
  readonly #limit: number;
  readonly #inFlight = new Set<Promise<void>>();
  #failure: { error: unknown } | undefined;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Starts `run` after `after` settles, once there is room; returns the task (wrapped: a promise would flatten) to chain on. */
  async start(run: () => Promise<void>, after?: Promise<void>): Promise<{ task: Promise<void> }> {
    while (this.#inFlight.size >= this.#limit) await Promise.race(this.#inFlight);
    this.#throwIfFailed();
    const task = (async () => {
      await after;
      if (this.#failure) return;
      try {
        await run();
      } catch (error) {
        this.#failure ??= { error };
      }
    })();
    this.#inFlight.add(task);
    void task.then(() => this.#inFlight.delete(task));
    return { task };
  }

  /** Waits for every started task; throws the first failure. */
  async drain(): Promise<void> {
    await Promise.all(this.#inFlight);
    this.#throwIfFailed();
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure.error;
  }
}
