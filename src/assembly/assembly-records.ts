import type { AssemblyRecord } from '../core/assembly.js';
import { NotFoundError } from '../core/errors.js';
import type { AssemblyItemSnapshot, AssemblyStore } from '../store/assembly-store.js';
import type { ContextStore } from '../store/context-store.js';
import type { AssemblyConfig } from './assembly-config.js';
import { RecentSnapshots, SNAPSHOT_REFRESH_MS } from './recent-snapshots.js';
import { type ReplayResult, replayAssembly } from './replay-assembly.js';
import type { SegmentCounter } from './segment-counter.js';

/** Assembly records: written behind the answer (group-committed), read back, replayed, purged after retention. */
export interface AssemblyRecords {
  save(record: AssemblyRecord, snapshots: AssemblyItemSnapshot[]): void;
  get(tenantId: string, id: string): Promise<AssemblyRecord>;
  replay(tenantId: string, id: string): Promise<ReplayResult>;
  flush(): Promise<void>;
  /** Records whose write failed (the assembly was answered; its record is missing). */
  readonly failures: number;
}

const PURGE_EVERY_MS = 3_600_000;

export function createAssemblyRecords(options: {
  store: AssemblyStore;
  contexts: ContextStore;
  counter: SegmentCounter;
  config: AssemblyConfig;
  now: () => number;
}): AssemblyRecords {
  const { store, contexts, counter, config, now } = options;
  const pending = new Map<string, Promise<void>>();
  let failures = 0;
  let lastPurge = now();
  const recent = new RecentSnapshots();

  function purgeNowAndThen(): void {
    if (config.retentionDays === 0 || now() - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = now();
    const beforeMs = now() - config.retentionDays * 86_400_000;
    const itemsUsedBefore = new Date(beforeMs - SNAPSHOT_REFRESH_MS).toISOString();
    void store.purge(new Date(beforeMs).toISOString(), itemsUsedBefore).catch(() => undefined);
  }

  async function get(tenantId: string, id: string): Promise<AssemblyRecord> {
    // A record written by this process a moment ago is read after its write (read-your-writes).
    await pending.get(id)?.catch(() => undefined);
    const record = await store.get(tenantId, id);
    if (record === undefined) {
      throw new NotFoundError(`Assembly ${id} does not exist.`, { code: 'assembly_not_found', details: { id } });
    }
    return record;
  }

  return {
    save(record, snapshots) {
      const startedMs = now();
      const due = recent.due(record.tenantId, snapshots, startedMs);
      const write = store.save(record, due).then(
        () => recent.remember(record.tenantId, due, startedMs),
        (error: unknown) => {
          failures += 1;
          process.emitWarning(
            `An assembly record could not be written: ${error instanceof Error ? error.message : String(error)}`,
            {
              code: 'CTX_ASSEMBLY_RECORD_FAILED',
            },
          );
        },
      );
      pending.set(record.id, write);
      void write.finally(() => pending.delete(record.id));
      purgeNowAndThen();
    },
    get,
    async replay(tenantId, id) {
      return replayAssembly(await get(tenantId, id), { contexts, assemblies: store }, counter);
    },
    async flush() {
      await Promise.all([...pending.values()]);
    },
    get failures() {
      return failures;
    },
  };
}
