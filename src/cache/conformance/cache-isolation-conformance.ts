import { describe, expect, it } from 'vitest';
import { cacheKey, cacheKeyPrefix } from '../cache-key.js';
import { type CacheConformanceOptions, useCaches } from './cache-conformance-options.js';

const ttlMs = 60_000;

export function describeCacheIsolationConformance(options: CacheConformanceOptions): void {
  describe('isolation', () => {
    const cache = useCaches(options);

    it('never lets two prefixes see each other’s keys, values, deletes or windows', async () => {
      const one = await cache('one');
      const two = await cache('two');
      await one.set('k', 'from one', { ttlMs });
      expect(await two.get('k')).toBeUndefined();
      await two.set('k', 'from two', { ttlMs });
      expect(await one.get('k')).toBe('from one');
      await two.deleteByPrefix('');
      await two.delete('k');
      expect(await one.get('k')).toBe('from one');
      expect((await one.incrementWindow('w', ttlMs)).count).toBe(1);
      expect((await two.incrementWindow('w', ttlMs)).count).toBe(1);
    });

    it('shares keys between two clients on the same prefix (two instances)', async () => {
      const instance1 = await cache('shared');
      const instance2 = await cache('shared');
      await instance1.set('k', 'v', { ttlMs });
      expect(await instance2.get('k')).toBe('v');
      await instance2.delete('k');
      expect(await instance1.get('k')).toBeUndefined();
    });

    it('keeps tenants apart through cacheKey, even with separators in ids and parts', async () => {
      const main = await cache();
      await main.set(cacheKey('t1', 'a:b'), 'tenant t1', { ttlMs });
      await main.set(cacheKey('t1:a', 'b'), 'tenant t1:a', { ttlMs });
      await main.set(cacheKey('t10', 'a:b'), 'tenant t10', { ttlMs });
      await main.set(cacheKey('t1%3Aa', 'b'), 'tenant t1%3Aa', { ttlMs });
      expect(await main.get(cacheKey('t1', 'a:b'))).toBe('tenant t1');
      expect(await main.get(cacheKey('t1:a', 'b'))).toBe('tenant t1:a');
      expect(await main.get(cacheKey('t1%3Aa', 'b'))).toBe('tenant t1%3Aa');
      await main.deleteByPrefix(cacheKeyPrefix('t1'));
      expect(await main.get(cacheKey('t1', 'a:b'))).toBeUndefined();
      expect(await main.get(cacheKey('t1:a', 'b'))).toBe('tenant t1:a');
      expect(await main.get(cacheKey('t10', 'a:b'))).toBe('tenant t10');
      expect(await main.get(cacheKey('t1%3Aa', 'b'))).toBe('tenant t1%3Aa');
    });
  });
}
