import type { AssemblyRecord } from '../../core/assembly.js';
import type { JsonValue } from '../../core/json.js';
import type { AssemblyItemSnapshot, AssemblyStore } from '../assembly-store.js';
import { tenantNotFoundError } from '../store-errors.js';

/** Assembly records and item snapshots in maps, keyed by tenant. */
export class MemoryAssemblyStore implements AssemblyStore {
  readonly #records = new Map<string, AssemblyRecord>();
  readonly #items = new Map<string, { payload: JsonValue; lastUsedAt: string }>();
  readonly #tenantExists: (tenantId: string) => boolean;

  constructor(tenantExists: (tenantId: string) => boolean) {
    this.#tenantExists = tenantExists;
  }

  async save(record: AssemblyRecord, items: AssemblyItemSnapshot[]): Promise<void> {
    if (!this.#tenantExists(record.tenantId)) throw tenantNotFoundError(record.tenantId);
    for (const item of items) {
      const id = scoped(record.tenantId, item.hash);
      const existing = this.#items.get(id);
      const lastUsedAt =
        existing !== undefined && existing.lastUsedAt > record.createdAt ? existing.lastUsedAt : record.createdAt;
      this.#items.set(id, { payload: existing?.payload ?? structuredClone(item.payload), lastUsedAt });
    }
    this.#records.set(scoped(record.tenantId, record.id), structuredClone(record));
  }

  async get(tenantId: string, id: string): Promise<AssemblyRecord | undefined> {
    const record = this.#records.get(scoped(tenantId, id));
    return record === undefined ? undefined : structuredClone(record);
  }

  async getItems(tenantId: string, hashes: string[]): Promise<Map<string, JsonValue>> {
    const found = new Map<string, JsonValue>();
    for (const hash of hashes) {
      const item = this.#items.get(scoped(tenantId, hash));
      if (item !== undefined) found.set(hash, structuredClone(item.payload));
    }
    return found;
  }

  async purge(before: string, itemsUsedBefore = before): Promise<number> {
    let removed = 0;
    for (const [id, record] of this.#records) {
      if (record.createdAt < before) {
        this.#records.delete(id);
        removed += 1;
      }
    }
    for (const [id, item] of this.#items) if (item.lastUsedAt < itemsUsedBefore) this.#items.delete(id);
    return removed;
  }
}

function scoped(tenantId: string, id: string): string {
  return JSON.stringify([tenantId, id]);
}
