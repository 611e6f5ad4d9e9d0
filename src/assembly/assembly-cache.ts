import type { CachePort } from '../cache/cache-port.js';
import type { AssemblyResult } from './assembly-result.js';
import { LruMap } from './lru-map.js';

interface Entry {
  tenantId: string;
  expiresAt: number;
  result: AssemblyResult;
}

export interface AssemblyCacheOptions {
  maxEntries: number;
  /** Shared by every instance (Redis, through engine.cache) when configured; else the in-process LRU alone. */
  shared?: CachePort | undefined;
  now?: (() => number) | undefined;
}

/**
 * Assembled results under keys derived from every input's data generation (see assembler.ts): a write to any input
 * makes a new key, so nothing is ever invalidated by scanning. An in-process LRU in front of the shared cache.
 * Each entry carries its tenant, checked on read: a key can never serve another tenant.
 */
export class AssemblyCache {
  readonly #local: LruMap<string, Entry>;
  readonly #shared: CachePort | undefined;
  readonly #now: () => number;

  constructor(options: AssemblyCacheOptions) {
    this.#local = new LruMap(options.maxEntries);
    this.#shared = options.shared;
    this.#now = options.now ?? Date.now;
  }

  async get(tenantId: string, key: string): Promise<AssemblyResult | undefined> {
    const now = this.#now();
    const local = this.#local.get(key);
    if (local !== undefined) {
      if (local.expiresAt > now && local.tenantId === tenantId) return local.result;
      this.#local.delete(key);
    }
    if (this.#shared === undefined) return undefined;
    const raw = await this.#shared.get(key);
    if (raw === undefined) return undefined;
    let entry: Entry;
    try {
      entry = JSON.parse(raw) as Entry;
    } catch {
      return undefined;
    }
    if (entry.tenantId !== tenantId || entry.expiresAt <= now) return undefined;
    this.#local.set(key, entry);
    return entry.result;
  }

  async set(tenantId: string, key: string, result: AssemblyResult, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return;
    const entry: Entry = { tenantId, expiresAt: this.#now() + ttlMs, result };
    this.#local.set(key, entry);
    await this.#shared?.set(key, JSON.stringify(entry), { ttlMs: Math.ceil(ttlMs) });
  }
}
