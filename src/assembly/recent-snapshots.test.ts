import { describe, expect, it } from 'vitest';
import type { AssemblyRecord } from '../core/assembly.js';
import { MemoryAssemblyStore } from '../store/memory/memory-assembly-store.js';
import type { AssemblyConfig } from './assembly-config.js';
import { createAssemblyRecords } from './assembly-records.js';
import { RecentSnapshots, SNAPSHOT_REFRESH_MS } from './recent-snapshots.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');

function recordAt(id: string, ms: number): AssemblyRecord {
  return { id, tenantId: 'acme', createdAt: new Date(ms).toISOString() } as AssemblyRecord;
}

describe('RecentSnapshots', () => {
  const one = { hash: 'h1', payload: { text: 'a' } };
  const two = { hash: 'h2', payload: { text: 'b' } };

  it('skips a snapshot stored within the refresh window, per tenant', () => {
    const recent = new RecentSnapshots();
    expect(recent.due('acme', [one, two], T0)).toEqual([one, two]);
    recent.remember('acme', [one], T0);
    expect(recent.due('acme', [one, two], T0 + 1000)).toEqual([two]);
    expect(recent.due('globex', [one], T0 + 1000)).toEqual([one]);
    expect(recent.due('acme', [one], T0 + SNAPSHOT_REFRESH_MS)).toEqual([one]);
  });
});

/** Assembly records over a memory store, with the given retention and clock. */
function recordsOver(store: MemoryAssemblyStore, retentionDays: number, now: () => number) {
  return createAssemblyRecords({
    store,
    contexts: undefined as never,
    counter: undefined as never,
    config: { retentionDays } as AssemblyConfig,
    now,
  });
}

/** How many snapshots each save of `store` was given, in order. */
function countSaves(store: MemoryAssemblyStore): number[] {
  const counts: number[] = [];
  const save = store.save.bind(store);
  store.save = (record, items) => {
    counts.push(items.length);
    return save(record, items);
  };
  return counts;
}

describe('assembly records and snapshot refreshes', () => {
  it('stores a snapshot again only after the window, and purges keep it while a record uses it', async () => {
    const store = new MemoryAssemblyStore(() => true);
    let now = T0;
    const records = recordsOver(store, 1, () => now);
    const shared = { hash: 'shared', payload: { text: 'pricing' } };
    records.save(recordAt('a', now), [shared]);
    await records.flush();

    // 50 minutes later the same item is used again: its snapshot is not written (its last use stays at T0).
    now = T0 + 50 * 60_000;
    const saves = countSaves(store);
    records.save(recordAt('b', now), [shared]);
    await records.flush();
    expect(saves).toEqual([0]);

    // A day and 20 minutes after T0 the retention cutoff falls between the two records: 'a' goes, 'b' stays, and
    // so does the snapshot 'b' uses, although its recorded last use (T0) is older than the cutoff.
    now = T0 + DAY + 20 * 60_000;
    records.save(recordAt('c', now), []);
    await records.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await store.get('acme', 'a')).toBeUndefined();
    expect(await store.get('acme', 'b')).toBeDefined();
    expect((await store.getItems('acme', ['shared'])).get('shared')).toEqual({ text: 'pricing' });

    // Past the window it is written again, refreshing its last use.
    records.save(recordAt('d', now), [shared]);
    await records.flush();
    expect(saves).toEqual([0, 0, 1]);
  });

  it('does not remember snapshots whose write failed', async () => {
    const store = new MemoryAssemblyStore(() => false);
    const records = recordsOver(store, 0, () => T0);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    const written = countSaves(store);
    const shared = { hash: 'shared', payload: 1 };
    records.save(recordAt('a', T0), [shared]);
    await records.flush();
    records.save(recordAt('b', T0), [shared]);
    await records.flush();
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    expect(written).toEqual([1, 1]);
    expect(records.failures).toBe(2);
    expect(warnings).toHaveLength(2);
  });
});
