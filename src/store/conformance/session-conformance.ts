import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TokenCounts } from '../../core/token-counts.js';
import type { SessionLimits, SessionMessageDraft, SessionStore } from '../session-store.js';
import type { StoreConformanceOptions } from './conformance-options.js';
import { expectError, instant, makeTenant } from './fixtures.js';

/** A session backend under test: its store, how to make a tenant exist, and how to tear it down. */
export interface SessionConformanceSubject {
  sessions: SessionStore;
  createTenant(id: string): Promise<void>;
  destroy(): Promise<void>;
}

export interface SessionConformanceOptions {
  name: string;
  create: () => Promise<SessionConformanceSubject>;
  /** The backend refuses unknown tenants itself (memory and SQL; Redis trusts the engine's check). */
  checksTenants: boolean;
  /** `purgeExpired` deletes and counts (memory and SQL; Redis expires keys natively and returns 0). */
  purgesExplicitly: boolean;
}

const LIMITS: SessionLimits = { maxMessages: 10, maxTokens: 800, ttlMs: 3_600_000 };

function tokens(o200k: number): TokenCounts {
  return { o200k_base: o200k, cl100k_base: o200k + 1 };
}

function draft(id: string, at: string, o200k = 5, content = `message ${id}`): SessionMessageDraft {
  return { id, role: 'user', content, metadata: { n: id }, tokens: tokens(o200k), createdAt: at };
}

/** Last N, the token cap, the sliding TTL, generations, tenant isolation and concurrent appends, on any backend. */
export function describeSessionConformance(options: SessionConformanceOptions): void {
  describe(`${options.name} sessions`, () => {
    let subject: SessionConformanceSubject | undefined;
    const sessions = () => {
      if (subject === undefined) throw new Error('only inside a test');
      return subject.sessions;
    };
    beforeEach(async () => {
      subject = await options.create();
      await subject.createTenant('acme');
      await subject.createTenant('globex');
    });
    afterEach(async () => {
      await subject?.destroy();
      subject = undefined;
    });

    it('appends messages in order, with their stored token counts, and reads them back', async () => {
      const state = await sessions().append(
        'acme',
        's1',
        [draft('m1', instant(1)), draft('m2', instant(2), 7)],
        LIMITS,
        instant(2),
      );
      expect(state.generation).toBe(1);
      expect(state.expiresAt).toBe(new Date(Date.parse(instant(2)) + LIMITS.ttlMs).toISOString());
      const read = await sessions().get('acme', 's1', instant(3));
      expect(read).toEqual(state);
      expect(read?.messages.map((message) => [message.id, message.tokens, message.metadata, message.sessionId])).toEqual([
        ['m1', tokens(5), { n: 'm1' }, 's1'],
        ['m2', tokens(7), { n: 'm2' }, 's1'],
      ]);
      expect(await sessions().get('acme', 'never', instant(3))).toBeUndefined();
    });

    it('keeps only the last N messages', async () => {
      for (let index = 1; index <= 12; index += 1) {
        await sessions().append('acme', 's1', [draft(`m${index}`, instant(index))], LIMITS, instant(index));
      }
      const read = await sessions().get('acme', 's1', instant(13));
      expect(read?.messages.map((message) => message.id)).toEqual(Array.from({ length: 10 }, (_, index) => `m${index + 3}`));
      expect(read?.generation).toBe(12);
      const batch = await sessions().append(
        'acme',
        's2',
        Array.from({ length: 15 }, (_, index) => draft(`b${index}`, instant(1))),
        { ...LIMITS, maxMessages: 3 },
        instant(1),
      );
      expect(batch.messages.map((message) => message.id)).toEqual(['b12', 'b13', 'b14']);
    });

    it('drops the oldest messages while the kept ones exceed the token cap (o200k_base)', async () => {
      await sessions().append('acme', 's1', [draft('a', instant(1), 300), draft('b', instant(2), 300)], LIMITS, instant(2));
      const state = await sessions().append('acme', 's1', [draft('c', instant(3), 300)], LIMITS, instant(3));
      expect(state.messages.map((message) => message.id)).toEqual(['b', 'c']);
      const exact = await sessions().append(
        'acme',
        's2',
        [draft('x', instant(1), 400), draft('y', instant(1), 400)],
        LIMITS,
        instant(1),
      );
      expect(exact.messages.map((message) => message.id)).toEqual(['x', 'y']);
      expect((await sessions().get('acme', 's1', instant(4)))?.messages.map((message) => message.id)).toEqual(['b', 'c']);
    });

    it('expires a session one TTL after its last write, and every write slides the expiry', async () => {
      const ttlMs = 60_000;
      const limits = { ...LIMITS, ttlMs };
      await sessions().append('acme', 's1', [draft('m1', instant(0))], limits, instant(0));
      expect(await sessions().get('acme', 's1', instant(59.999))).toBeDefined();
      expect(await sessions().get('acme', 's1', instant(60))).toBeUndefined();
      await sessions().append('acme', 's2', [draft('m1', instant(0))], limits, instant(0));
      await sessions().append('acme', 's2', [draft('m2', instant(50))], limits, instant(50));
      const slid = await sessions().get('acme', 's2', instant(100));
      expect(slid?.messages.map((message) => message.id)).toEqual(['m1', 'm2']);
      expect(await sessions().get('acme', 's2', instant(110))).toBeUndefined();
    });

    it('starts an expired session empty, with a generation that keeps growing', async () => {
      const limits = { ...LIMITS, ttlMs: 1_000 };
      const first = await sessions().append('acme', 's1', [draft('old', instant(0))], limits, instant(0));
      const again = await sessions().append('acme', 's1', [draft('new', instant(5))], limits, instant(5));
      expect(again.messages.map((message) => message.id)).toEqual(['new']);
      expect(again.generation).toBeGreaterThan(first.generation);
    });

    it('reports the live generation alone, as get does, and 0 once expired or for another tenant', async () => {
      const limits = { ...LIMITS, ttlMs: 10_000 };
      expect(await sessions().generation('acme', 's1', instant(0))).toBe(0);
      await sessions().append('acme', 's1', [draft('a', instant(0))], limits, instant(0));
      const kept = await sessions().append('acme', 's1', [draft('b', instant(1))], limits, instant(1));
      expect(await sessions().generation('acme', 's1', instant(2))).toBe(kept.generation);
      expect((await sessions().get('acme', 's1', instant(2)))?.generation).toBe(kept.generation);
      expect(await sessions().generation('globex', 's1', instant(2))).toBe(0);
      expect(await sessions().generation('acme', 's1', instant(11))).toBe(0);
    });

    it("never shows one tenant's session through another tenant", async () => {
      await sessions().append('acme', 'shared', [draft('secret', instant(1))], LIMITS, instant(1));
      expect(await sessions().get('globex', 'shared', instant(2))).toBeUndefined();
      await sessions().append('globex', 'shared', [draft('mine', instant(1))], LIMITS, instant(1));
      expect((await sessions().get('acme', 'shared', instant(2)))?.messages.map((message) => message.id)).toEqual(['secret']);
      expect((await sessions().get('globex', 'shared', instant(2)))?.messages.map((message) => message.id)).toEqual(['mine']);
    });

    it('loses no message when many appends to one session run at once', async () => {
      const limits = { ...LIMITS, maxMessages: 100, maxTokens: 100_000 };
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          sessions().append('acme', 's1', [draft(`m${index}`, instant(1))], limits, instant(1)),
        ),
      );
      expect(new Set(results.map((result) => result.generation)).size).toBe(20);
      const read = await sessions().get('acme', 's1', instant(2));
      expect(read?.messages.map((message) => message.id).sort()).toEqual(
        Array.from({ length: 20 }, (_, index) => `m${index}`).sort(),
      );
      expect(read?.generation).toBe(20);
    });

    if (options.checksTenants) {
      it('refuses a tenant that does not exist', async () => {
        await expectError(
          sessions().append('nobody', 's1', [draft('m', instant(1))], LIMITS, instant(1)),
          'NotFoundError',
          'tenant_not_found',
        );
      });
    }

    if (options.purgesExplicitly) {
      it('purges sessions that expired before a time', async () => {
        const limits = { ...LIMITS, ttlMs: 10_000 };
        await sessions().append('acme', 'old', [draft('m', instant(0))], limits, instant(0));
        await sessions().append('acme', 'new', [draft('m', instant(100))], limits, instant(100));
        expect(await sessions().purgeExpired(instant(50))).toBe(1);
        expect(await sessions().purgeExpired(instant(50))).toBe(0);
        expect(await sessions().get('acme', 'new', instant(101))).toBeDefined();
      });
    }
  });
}

/** The session suite on a Store's own session backend (memory, SQLite, PostgreSQL). */
export function describeStoreSessionConformance(options: StoreConformanceOptions): void {
  describeSessionConformance({
    name: options.name,
    checksTenants: true,
    purgesExplicitly: true,
    create: async () => {
      const store = await options.create();
      return {
        sessions: store.sessions,
        createTenant: async (id) => void (await store.tenants.create(makeTenant(id))),
        destroy: () => options.destroy(store),
      };
    },
  });
}
