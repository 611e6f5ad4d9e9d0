import { ensureCheckpointDirectory, readCheckpoint, readNewestCheckpoint, writeCheckpoint } from './checkpoint-file.js';
import type { ColdWriter } from './cold-writer.js';
import { isContextRef } from './context-ref.js';
import type { EventRouter } from './event-router.js';
import type { HotEntry, HotTier } from './hot-tier/hot-tier.js';

export interface CheckpointResult {
  path: string;
  entries: number;
}

export interface RestoreResult extends CheckpointResult {
  /** Which file was used (`<path>.prev` when the newest was torn or corrupted). */
  from: string;
  /** Entries older than the hot tier's age limit, left to the cold tier. */
  skipped: number;
  problems: string[];
}

function isEntry(value: HotEntry): boolean {
  return (
    typeof value?.tenantId === 'string' &&
    isContextRef(value.ref) &&
    typeof value.event === 'string' &&
    typeof value.context === 'object'
  );
}

/** Checkpoints of the hot tier: saved after flushing the cold tier, restored into both tiers (idempotently). */
export class HotTierCheckpoints {
  readonly #hot: HotTier;
  readonly #router: EventRouter;
  readonly #cold: ColdWriter;
  readonly #maxAgeMs: number;

  constructor(hot: HotTier, router: EventRouter, cold: ColdWriter, maxAgeMs: number) {
    this.#hot = hot;
    this.#router = router;
    this.#cold = cold;
    this.#maxAgeMs = maxAgeMs;
  }

  async save(path: string, entries: Iterable<HotEntry> = this.#hot.entries()): Promise<CheckpointResult> {
    await this.#cold.flush();
    await ensureCheckpointDirectory(path);
    return { path, entries: writeCheckpoint(path, entries) };
  }

  /** Restores the newest good checkpoint (`path`, else `<path>.prev`); nothing when neither exists. */
  async restore(path: string, options: { strict?: boolean } = {}): Promise<RestoreResult> {
    const found = options.strict ? { entries: readCheckpoint(path), from: path, problems: [] } : readNewestCheckpoint(path);
    if (found === undefined) return { path, from: '', entries: 0, skipped: 0, problems: [] };
    const oldest = Date.now() - this.#maxAgeMs;
    let restored = 0;
    let skipped = 0;
    for (const entry of found.entries) {
      if (!isEntry(entry)) continue;
      const record = { ...entry, data: null };
      if (Date.parse(entry.context.timestamp) < oldest) {
        skipped += 1;
        this.#cold.buffer(record);
        continue;
      }
      await this.#router.storeRecord(record, 'buffered');
      restored += 1;
    }
    await this.#cold.flush();
    return { path, from: found.from, entries: restored, skipped, problems: found.problems };
  }
}
