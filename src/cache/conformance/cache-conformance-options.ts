import { randomUUID } from 'node:crypto';
import { afterEach } from 'vitest';
import type { CachePort } from '../cache-port.js';

/** How a backend's test file hands caches to the shared suite. */
export interface CacheConformanceOptions {
  name: string;
  /**
   * A new cache — a new client, like a new engine instance — over the backend under test. Caches created
   * with the same prefix share keys; different prefixes never do.
   */
  create: (options: { prefix: string }) => Promise<CachePort>;
}

/** A new cache (client) on the namespace `name` of this test run. */
export type CacheFactory = (name?: string) => Promise<CachePort>;

/**
 * Caches for one test: every prefix is unique to this run (`ctx-test:<uuid>:<name>:`), so concurrent runs
 * against one Redis never see each other's keys; after each test every namespace used is emptied and
 * every cache closed.
 */
export function useCaches(options: CacheConformanceOptions): CacheFactory {
  const run = `ctx-test:${randomUUID()}:`;
  let created: CachePort[] = [];
  afterEach(async () => {
    for (const cache of created) await cache.deleteByPrefix('');
    await Promise.all(created.map((cache) => cache.close()));
    created = [];
  });
  return async (name = 'main') => {
    const cache = await options.create({ prefix: `${run}${name}:` });
    created.push(cache);
    return cache;
  };
}
