import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { ContextStats } from '../core/context-version.js';
import { ConflictError } from '../core/errors.js';
import type { Engine } from '../engine.js';
import type { ContextStore } from '../store/context-store.js';
import { headerLine, updateLine, versionLine } from './export-format.js';
import { writeChunk } from './write-chunk.js';

/** How far a long transfer has come, in lines. */
export interface TransferProgress {
  phase: 'export' | 'validate' | 'write';
  done: number;
  /** Lines expected in all; undefined while unknown. */
  total: number | undefined;
}

export type ProgressListener = (progress: TransferProgress) => void;

export interface ExportSummary {
  tenantId: string;
  versions: number;
  updates: number;
  /** The checksum the footer carries. */
  sha256: string;
}

const PAGE_SIZE = 500;

function totalUpdates(stats: ContextStats): number {
  return Object.values(stats.updatesBySource).reduce<number>((sum, count) => sum + (count ?? 0), 0);
}

function sameState(before: ContextStats, after: ContextStats): boolean {
  return (
    before.versions === after.versions &&
    before.pendingUpdates === after.pendingUpdates &&
    before.lastUpdateAt === after.lastUpdateAt &&
    totalUpdates(before) === totalUpdates(after)
  );
}

/** Every key the tenant ever had: from its update records (every version has one) and its live keys. */
async function collectKeys(store: ContextStore, tenantId: string): Promise<string[]> {
  const keys = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await store.listUpdates({ tenantIds: [tenantId], limit: PAGE_SIZE, cursor });
    for (const update of page.items) keys.add(update.key);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  do {
    const page = await store.listKeys(tenantId, { limit: PAGE_SIZE, cursor });
    for (const item of page.items) keys.add(item.key);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return [...keys].sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));
}

/**
 * Writes a tenant as JSON Lines (see export-format.ts) to `writable`, page by page, honouring backpressure.
 * Does not end the stream. Fails with ConflictError `tenant_changed_during_export` (and writes no footer, so
 * the partial output is refused by import) when the tenant was written to while it was being exported.
 */
export async function exportTenant(
  engine: Engine,
  tenantId: string,
  writable: Writable,
  onProgress?: ProgressListener,
): Promise<ExportSummary> {
  const tenant = await engine.tenants.get(tenantId);
  const store = engine.store.contexts;
  const before = await store.stats(tenantId);
  const total = before.versions + totalUpdates(before) + 2;
  const hash = createHash('sha256');
  let done = 0;
  const emit = async (record: unknown): Promise<void> => {
    const line = `${JSON.stringify(record)}\n`;
    hash.update(line, 'utf8');
    await writeChunk(writable, line);
    done += 1;
    onProgress?.({ phase: 'export', done, total });
  };

  await emit(headerLine(tenant, new Date().toISOString()));
  let versions = 0;
  for (const key of await collectKeys(store, tenantId)) {
    let cursor: string | undefined;
    do {
      const page = await store.listVersions(tenantId, key, { limit: PAGE_SIZE, cursor });
      for (const version of page.items) await emit(versionLine(version));
      versions += page.items.length;
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }
  let updates = 0;
  let cursor: string | undefined;
  do {
    const page = await store.listUpdates({ tenantIds: [tenantId], limit: PAGE_SIZE, cursor });
    for (const update of page.items) await emit(updateLine(update));
    updates += page.items.length;
    cursor = page.nextCursor;
  } while (cursor !== undefined);

  if (!sameState(before, await store.stats(tenantId))) {
    throw new ConflictError(`Tenant ${tenantId} changed while it was being exported; run the export again`, {
      code: 'tenant_changed_during_export',
    });
  }
  const sha256 = hash.digest('hex');
  await writeChunk(writable, `${JSON.stringify({ type: 'footer', versions, updates, sha256 })}\n`);
  onProgress?.({ phase: 'export', done: done + 1, total: Math.max(total, done + 1) });
  return { tenantId, versions, updates, sha256 };
}
