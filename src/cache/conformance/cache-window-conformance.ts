import { describe, expect, it } from 'vitest';
import { type CacheConformanceOptions, useCaches } from './cache-conformance-options.js';
import { waitFor } from './wait-for.js';

const range = (count: number): number[] => Array.from({ length: count }, (_, index) => index + 1);

export function describeCacheWindowConformance(options: CacheConformanceOptions): void {
  describe('fixed-window counters', () => {
    const cache = useCaches(options);

    it('counts 1, 2, 3 within a window and gives its end', async () => {
      const main = await cache();
      const before = Date.now();
      const first = await main.incrementWindow('w', 10_000);
      const second = await main.incrementWindow('w', 10_000);
      expect([first.count, second.count]).toEqual([1, 2]);
      expect(first.resetAt).toBeGreaterThanOrEqual(before + 9_000);
      expect(first.resetAt).toBeLessThanOrEqual(Date.now() + 10_000 + 50);
      expect(Math.abs(second.resetAt - first.resetAt)).toBeLessThan(100);
    });

    it('starts a new window after the old one ends', async () => {
      const main = await cache();
      await main.incrementWindow('w', 100);
      expect((await main.incrementWindow('w', 100)).count).toBe(2);
      await waitFor('the window to end', async () => (await main.get('w')) === undefined, 2_000);
      expect((await main.incrementWindow('w', 100)).count).toBe(1);
    });

    it('counts exactly under 300 concurrent callers', async () => {
      const main = await cache();
      const results = await Promise.all(range(300).map(() => main.incrementWindow('w', 60_000)));
      expect(results.map((result) => result.count).sort((a, b) => a - b)).toEqual(range(300));
    });

    it('counts exactly when two instances increment the same window at once', async () => {
      const instance1 = await cache('shared');
      const instance2 = await cache('shared');
      const results = await Promise.all(
        range(400).map((index) => (index % 2 === 0 ? instance1 : instance2).incrementWindow('limit', 60_000)),
      );
      expect(results.map((result) => result.count).sort((a, b) => a - b)).toEqual(range(400));
    });

    it('rejects a window that is not a positive integer', async () => {
      const main = await cache();
      await expect(main.incrementWindow('w', 0)).rejects.toMatchObject({ code: 'validation_failed' });
    });
  });
}
