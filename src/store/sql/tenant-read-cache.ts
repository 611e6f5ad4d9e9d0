import type { ChangeWatcher } from './change-watcher.js';

const MAX_ENTRIES = 10_000;

/**
 * Tenant rows for the read every write makes (its approval policy), valid while the ChangeWatcher's epoch
 * stands still and no local tenant write happened since the read began. Without a change token (PostgreSQL),
 * nothing is cached: another instance may change a policy at any time.
 */
export class TenantReadCache<Row> {
  readonly #watcher: ChangeWatcher;
  readonly #rows = new Map<string, { row: Row; epoch: number }>();
  #generation = 0;

  constructor(watcher: ChangeWatcher) {
    this.#watcher = watcher;
  }

  /** The row from the cache when still valid, else from `load` (remembered when nothing moved meanwhile). */
  async readThrough(id: string, load: () => Promise<Row | undefined>): Promise<Row | undefined> {
    const epoch = this.#watcher.epoch();
    if (epoch === undefined) return load();
    const entry = this.#rows.get(id);
    if (entry !== undefined && entry.epoch === epoch) return entry.row;
    const generation = this.#generation;
    const row = await load();
    if (row !== undefined && generation === this.#generation) {
      if (this.#rows.size >= MAX_ENTRIES && !this.#rows.has(id)) this.#rows.clear();
      this.#rows.set(id, { row, epoch });
    }
    return row;
  }

  /** A local write to a tenant row: forget it before anyone hears of the write. */
  invalidate(id: string): void {
    this.#generation += 1;
    this.#rows.delete(id);
  }
}
