import type { AssemblyItemSnapshot } from '../store/assembly-store.js';
import { SecondChanceMemo } from './second-chance-memo.js';

/** A snapshot this process stored less than this long ago is not stored again (its last use is not refreshed). */
export const SNAPSHOT_REFRESH_MS = 3_600_000;
const MAX_REMEMBERED = 50_000;

/**
 * The item snapshots this process has stored lately, by tenant and hash. Consecutive assemblies mostly use the
 * same session messages, milestones and knowledge chunks; writing each one again only moved its `last_used_at`,
 * a row write per item per assembly. A snapshot is remembered only once its write committed, so a snapshot is
 * skipped only while it surely exists; purges keep every snapshot used within SNAPSHOT_REFRESH_MS of their
 * cutoff (`itemsUsedBefore`), so the older `last_used_at` never lets a snapshot go before the records using it.
 * Forgetting one only costs a write, so the memo is a SecondChanceMemo (a hit is one Map.get, not an LRU's three).
 */
export class RecentSnapshots {
  readonly #writtenAt = new SecondChanceMemo<string, number>(MAX_REMEMBERED);

  /** The snapshots that need writing now: those not stored by this process within the refresh window. */
  due(tenantId: string, snapshots: AssemblyItemSnapshot[], nowMs: number): AssemblyItemSnapshot[] {
    return snapshots.filter((snapshot) => {
      const writtenAt = this.#writtenAt.get(idOf(tenantId, snapshot.hash));
      return writtenAt === undefined || nowMs - writtenAt >= SNAPSHOT_REFRESH_MS;
    });
  }

  /** Snapshots whose write committed at `nowMs`. */
  remember(tenantId: string, snapshots: AssemblyItemSnapshot[], nowMs: number): void {
    for (const snapshot of snapshots) this.#writtenAt.set(idOf(tenantId, snapshot.hash), nowMs);
  }
}

function idOf(tenantId: string, hash: string): string {
  return `${tenantId}\u0000${hash}`;
}
