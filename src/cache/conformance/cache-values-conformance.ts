import { describe, expect, it } from 'vitest';
import { type CacheConformanceOptions, useCaches } from './cache-conformance-options.js';
import { sleep, waitFor } from './wait-for.js';

const ttlMs = 60_000;

export function describeCacheValueConformance(options: CacheConformanceOptions): void {
  describe('values', () => {
    const cache = useCaches(options);

    it('gets what was set, misses what was not, and forgets what was deleted', async () => {
      const main = await cache();
      expect(await main.get('absent')).toBeUndefined();
      await main.set('k', 'value: ünïcode ✓', { ttlMs });
      expect(await main.get('k')).toBe('value: ünïcode ✓');
      await main.set('k', '', { ttlMs });
      expect(await main.get('k')).toBe('');
      await main.delete('k');
      await main.delete('never-set');
      expect(await main.get('k')).toBeUndefined();
    });

    it('expires a value after its TTL', async () => {
      const main = await cache();
      await main.set('short', 'v', { ttlMs: 100 });
      await main.set('long', 'v', { ttlMs });
      expect(await main.get('short')).toBe('v');
      await waitFor('the short TTL to expire', async () => (await main.get('short')) === undefined, 2_000);
      expect(await main.get('long')).toBe('v');
    });

    it('renews the TTL when a value is set again', async () => {
      const main = await cache();
      await main.set('k', 'one', { ttlMs: 150 });
      await sleep(100);
      await main.set('k', 'two', { ttlMs: 400 });
      await sleep(100);
      expect(await main.get('k')).toBe('two');
    });

    it('rejects a TTL that is not a positive integer', async () => {
      const main = await cache();
      for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expect(main.set('k', 'v', { ttlMs: bad })).rejects.toMatchObject({ code: 'validation_failed' });
      }
      expect(await main.get('k')).toBeUndefined();
    });

    it('deletes by prefix, literally (glob characters are not patterns), across many keys', async () => {
      const main = await cache();
      const keys = Array.from({ length: 1_500 }, (_, index) => `bulk:${index}`);
      await Promise.all(keys.map((key) => main.set(key, 'v', { ttlMs })));
      await main.set('a*:1', 'v', { ttlMs });
      await main.set('ab:1', 'v', { ttlMs });
      await main.set('[x]:1', 'v', { ttlMs });
      await main.set('x:1', 'v', { ttlMs });
      await main.deleteByPrefix('bulk:');
      await main.deleteByPrefix('a*');
      await main.deleteByPrefix('[x]');
      expect(await Promise.all(keys.slice(0, 50).map((key) => main.get(key)))).toEqual(keys.slice(0, 50).map(() => undefined));
      expect(await main.get('bulk:1499')).toBeUndefined();
      expect(await main.get('a*:1')).toBeUndefined();
      expect(await main.get('ab:1')).toBe('v');
      expect(await main.get('[x]:1')).toBeUndefined();
      expect(await main.get('x:1')).toBe('v');
    });

    it('reports itself healthy', async () => {
      expect(await (await cache()).health()).toMatchObject({ ok: true });
    });
  });
}
