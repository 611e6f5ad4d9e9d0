/**
 * Tells read caches when another connection or process may have committed, from the dialect's change token
 * (SQLite: PRAGMA data_version on the writer connection, which moves with other connections' commits; this
 * process's own commits clear the caches they touch themselves). The token is read at
 * most once per macrotask: a caller can only learn of another process's commit through I/O, which arrives in a
 * later macrotask, so no caller ever reads older than what it knows. Without a token (PostgreSQL: there is no
 * cheap one), `epoch()` is undefined and callers must not cache.
 */
export class ChangeWatcher {
  readonly #changeToken: (() => number) | undefined;
  #lastToken: number | undefined;
  #epoch = 0;
  #checkedThisTick = false;

  constructor(changeToken: (() => number) | undefined) {
    this.#changeToken = changeToken;
  }

  /** Whether the dialect can tell at all. */
  get available(): boolean {
    return this.#changeToken !== undefined;
  }

  /** A number that moves whenever the database may have changed under the caches; undefined: cache nothing. */
  epoch(): number | undefined {
    const changeToken = this.#changeToken;
    if (changeToken === undefined) return undefined;
    if (!this.#checkedThisTick) {
      this.#checkedThisTick = true;
      setImmediate(() => {
        this.#checkedThisTick = false;
      });
      const token = changeToken();
      if (token !== this.#lastToken) {
        this.#lastToken = token;
        this.#epoch += 1;
      }
    }
    return this.#epoch;
  }
}
