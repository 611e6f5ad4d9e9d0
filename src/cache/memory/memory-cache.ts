import type { BackendHealth } from '../backend-health.js';
import { assertPositiveMs, assertString } from '../cache-arguments.js';
import type { CachePort, CacheSetOptions, WindowCount } from '../cache-port.js';

interface MemoryEntry {
  value: string;
  expiresAt: number;
}

/** The shared state behind memory caches: caches over one backend behave like instances over one Redis. */
export interface MemoryCacheBackend {
  readonly entries: Map<string, MemoryEntry>;
}

export function createMemoryCacheBackend(): MemoryCacheBackend {
  return { entries: new Map() };
}

export interface MemoryCacheOptions {
  /** Namespace of every key (default `ctx:`). */
  prefix?: string;
  /** Share one backend between caches (tests of "two instances"); a private one by default. */
  backend?: MemoryCacheBackend;
  /** Upper bound on stored entries; expired then oldest entries go first (default 10,000). */
  maxEntries?: number;
}

/** The in-process cache: same semantics as Redis (TTL, fixed windows), for one instance or for tests. */
export function createMemoryCache(options: MemoryCacheOptions = {}): CachePort {
  const prefix = options.prefix ?? 'ctx:';
  const { entries } = options.backend ?? createMemoryCacheBackend();
  const maxEntries = options.maxEntries ?? 10_000;

  function live(fullKey: string, now: number): MemoryEntry | undefined {
    const entry = entries.get(fullKey);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > now) return entry;
    entries.delete(fullKey);
    return undefined;
  }

  function store(fullKey: string, entry: MemoryEntry): void {
    entries.delete(fullKey);
    entries.set(fullKey, entry);
    if (entries.size <= maxEntries) return;
    const now = Date.now();
    for (const [key, value] of entries) if (value.expiresAt <= now) entries.delete(key);
    for (const key of entries.keys()) {
      if (entries.size <= maxEntries) break;
      entries.delete(key);
    }
  }

  return {
    async get(key) {
      return live(prefix + key, Date.now())?.value;
    },
    async set(key: string, value: string, { ttlMs }: CacheSetOptions) {
      assertString('value', value);
      assertPositiveMs('ttlMs', ttlMs);
      store(prefix + key, { value, expiresAt: Date.now() + ttlMs });
    },
    async delete(key) {
      entries.delete(prefix + key);
    },
    async deleteByPrefix(keyPrefix) {
      const start = prefix + keyPrefix;
      for (const key of [...entries.keys()]) if (key.startsWith(start)) entries.delete(key);
    },
    async incrementWindow(key, windowMs): Promise<WindowCount> {
      assertPositiveMs('windowMs', windowMs);
      const now = Date.now();
      const fullKey = prefix + key;
      const entry = live(fullKey, now);
      if (entry === undefined) {
        store(fullKey, { value: '1', expiresAt: now + windowMs });
        return { count: 1, resetAt: now + windowMs };
      }
      const count = Number(entry.value) + 1;
      entry.value = String(count);
      return { count, resetAt: entry.expiresAt };
    },
    async health(): Promise<BackendHealth> {
      return { ok: true };
    },
    async close() {},
  };
}
