import type { ChangeWatcher } from './change-watcher.js';
import type { ContextVersionRow } from './context-version-row.js';

const MAX_ENTRIES = 20_000;

/**
 * Rows for the two hot reads, so that they cost a Map lookup and a JSON.parse instead of a database round trip.
 *
 * - Versions are immutable once committed: `(tenant, key, version)` rows stay valid forever (bounded FIFO).
 * - Current pointers are valid until a commit. Local commits clear them before any caller hears of the commit
 *   (`invalidateCurrent`, called by the write queue). Commits by other connections or processes are detected
 *   by the ChangeWatcher. Without a change token (a dialect that cannot tell cheaply), current pointers are not
 *   cached.
 */
export class VersionReadCache {
  readonly #versions = new Map<string, ContextVersionRow>();
  readonly #current = new Map<string, ContextVersionRow>();
  readonly #watcher: ChangeWatcher;
  #lastEpoch: number | undefined;
  #generation = 0;

  constructor(watcher: ChangeWatcher) {
    this.#watcher = watcher;
  }

  /** Bumps on every invalidation; a read stores its row only if no invalidation happened while it ran. */
  get generation(): number {
    return this.#generation;
  }

  invalidateCurrent(): void {
    this.#generation += 1;
    this.#current.clear();
  }

  getCurrent(tenantId: string, key: string): ContextVersionRow | undefined {
    const epoch = this.#watcher.epoch();
    if (epoch === undefined) return undefined;
    if (epoch !== this.#lastEpoch) {
      this.#lastEpoch = epoch;
      this.invalidateCurrent();
    }
    return this.#current.get(currentId(tenantId, key));
  }

  setCurrent(row: ContextVersionRow, generationAtRead: number): void {
    if (!this.#watcher.available || generationAtRead !== this.#generation) return;
    remember(this.#current, currentId(row.tenant_id, row.key), row);
  }

  getVersion(tenantId: string, key: string, version: number): ContextVersionRow | undefined {
    return this.#versions.get(versionId(tenantId, key, version));
  }

  setVersion(row: ContextVersionRow): void {
    remember(this.#versions, versionId(row.tenant_id, row.key, row.version), row);
  }
}

function remember(map: Map<string, ContextVersionRow>, id: string, row: ContextVersionRow): void {
  if (map.size >= MAX_ENTRIES && !map.has(id)) {
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  }
  map.set(id, row);
}

function currentId(tenantId: string, key: string): string {
  return `${tenantId}\u0000${key}`;
}

function versionId(tenantId: string, key: string, version: number): string {
  return `${tenantId}\u0000${key}\u0000${version}`;
}
