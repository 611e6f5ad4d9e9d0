import { describe, expect, it } from 'vitest';
import { type StoreConformanceOptions, useFreshStore } from './conformance-options.js';
import { instant } from './fixtures.js';

export function describeIdempotencyConformance(options: StoreConformanceOptions): void {
  describe('idempotency', () => {
    const store = useFreshStore(options);
    const response = { statusCode: 201, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };

    it('claims a key once, then returns the record, and its response once completed', async () => {
      const idempotency = store().idempotency;
      expect(await idempotency.claim('acme', 'req-1', 'hash-1', instant(1))).toEqual({ claimed: true });
      expect(await idempotency.claim('acme', 'req-1', 'hash-2', instant(2))).toEqual({
        claimed: false,
        existing: { scope: 'acme', key: 'req-1', requestHash: 'hash-1', response: null, createdAt: instant(1) },
      });
      await idempotency.complete('acme', 'req-1', response);
      const replay = await idempotency.claim('acme', 'req-1', 'hash-1', instant(3));
      expect(replay).toEqual({
        claimed: false,
        existing: { scope: 'acme', key: 'req-1', requestHash: 'hash-1', response, createdAt: instant(1) },
      });
      expect(await idempotency.claim('globex', 'req-1', 'hash-1', instant(1))).toEqual({ claimed: true });
    });

    it('forgets a released claim so the request can run again', async () => {
      await store().idempotency.claim('acme', 'req-1', 'hash-1', instant(1));
      await store().idempotency.release('acme', 'req-1');
      expect(await store().idempotency.claim('acme', 'req-1', 'hash-1', instant(2))).toEqual({ claimed: true });
    });

    it('purges records created before a time and says how many', async () => {
      for (let index = 0; index < 5; index += 1) {
        await store().idempotency.claim('acme', `req-${index}`, 'hash', instant(index * 10));
      }
      expect(await store().idempotency.purge(instant(25))).toBe(3);
      expect(await store().idempotency.purge(instant(25))).toBe(0);
      expect((await store().idempotency.claim('acme', 'req-0', 'hash', instant(99))).claimed).toBe(true);
      expect((await store().idempotency.claim('acme', 'req-4', 'hash', instant(99))).claimed).toBe(false);
    });

    it('lets exactly one of many concurrent claims of a key win', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) => store().idempotency.claim('acme', 'req-1', `hash-${index}`, instant(1))),
      );
      expect(results.filter((result) => result.claimed)).toHaveLength(1);
    });
  });
}
