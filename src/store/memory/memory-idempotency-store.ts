import type { ClaimResult, IdempotencyRecord, IdempotencyStore } from '../idempotency-store.js';

/** Idempotency records keyed by (scope, key). `complete` on a forgotten key does nothing. */
export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly #records = new Map<string, IdempotencyRecord>();

  async claim(scope: string, key: string, requestHash: string, createdAt: string): Promise<ClaimResult> {
    const existing = this.#records.get(recordId(scope, key));
    if (existing !== undefined) return { claimed: false, existing: structuredClone(existing) };
    this.#records.set(recordId(scope, key), { scope, key, requestHash, response: null, createdAt });
    return { claimed: true };
  }

  async complete(scope: string, key: string, response: NonNullable<IdempotencyRecord['response']>): Promise<void> {
    const existing = this.#records.get(recordId(scope, key));
    if (existing !== undefined) existing.response = structuredClone(response);
  }

  async release(scope: string, key: string): Promise<void> {
    this.#records.delete(recordId(scope, key));
  }

  async purge(before: string): Promise<number> {
    let removed = 0;
    for (const [id, record] of this.#records) {
      if (record.createdAt < before) {
        this.#records.delete(id);
        removed += 1;
      }
    }
    return removed;
  }
}

function recordId(scope: string, key: string): string {
  return JSON.stringify([scope, key]);
}
