import { documentTokenCounter } from '../assembly/document-token-counts.js';
import { gptTokenizers } from '../assembly/gpt-tokenizer-set.js';
import type { ContextUpdate } from '../core/context-update.js';
import { ConflictError } from '../core/errors.js';
import type { Engine } from '../engine.js';
import { canonicalJson } from '../updates/content-hash.js';
import { parseWith } from '../validation/parse.js';
import { tenantIdSchema } from '../validation/schemas.js';
import { CommitWindow } from './commit-window.js';
import { fromLine, type UpdateLine, type VersionLine, versionLineSchema } from './export-format.js';
import type { ProgressListener } from './export-tenant.js';
import { type ByteSource, readLines } from './read-lines.js';
import { invalidExport, type ValidatedExport, validateExport } from './validate-export.js';

/**
 * Where an export is read from. A function is called once per pass (validate, then write), so nothing is held
 * in memory but the update records; a stream is read once and its version lines are kept in memory.
 */
/** Writes in flight at once: enough for the store to share commits between them. */
const COMMIT_CONCURRENCY = 64;

/** Imported versions are written here: their token counts are counted as any written version's are. */
const countDocumentTokens = documentTokenCounter(gptTokenizers);

export type ImportSource = ByteSource | (() => ByteSource);

export interface ImportOptions {
  /** Import under this tenant id instead of the exported one. */
  tenantId?: string | undefined;
  onProgress?: ProgressListener | undefined;
}

export interface ImportSummary {
  tenantId: string;
  /** The tenant id in the file. */
  sourceTenantId: string;
  versions: number;
  updates: number;
  /** False when an existing, empty tenant received the data. */
  createdTenant: boolean;
}

function withTenant(update: UpdateLine, tenantId: string): ContextUpdate {
  return { ...fromLine(update), tenantId };
}

/** Refuses to write into a tenant that holds data, or to reuse update ids that this database already has. */
async function prepareTarget(engine: Engine, validated: ValidatedExport, tenantId: string): Promise<boolean> {
  const { store } = engine;
  const existing = await store.tenants.get(tenantId);
  if (existing !== undefined) {
    const stats = await store.contexts.stats(tenantId);
    const updates = await store.contexts.listUpdates({ tenantIds: [tenantId], limit: 1 });
    if (stats.versions > 0 || updates.items.length > 0) {
      throw new ConflictError(
        `Tenant ${tenantId} already exists and has ${stats.versions} versions; import into a new tenant id instead`,
        { code: 'tenant_not_empty', details: { tenantId } },
      );
    }
  }
  const sourceId = validated.header.tenant.id;
  if (sourceId !== tenantId && (await store.tenants.get(sourceId)) !== undefined) {
    for (const id of validated.updates.keys()) {
      if ((await store.contexts.getUpdate(sourceId, id)) !== undefined) {
        throw new ConflictError(
          `This database already holds the updates of tenant ${sourceId} (update ids are unique per database); import the copy into another database`,
          { code: 'update_ids_taken', details: { tenantId: sourceId, updateId: id } },
        );
      }
    }
  }
  if (existing === undefined) {
    const tenant = await store.tenants.create({ ...validated.header.tenant, id: tenantId });
    engine.bus.emit('tenant.created', { tenant });
  }
  return existing === undefined;
}

async function* versionsOf(source: ByteSource): AsyncGenerator<VersionLine> {
  for await (const line of readLines(source)) {
    let raw: { type?: unknown } | null;
    try {
      raw = JSON.parse(line.text) as { type?: unknown } | null;
    } catch {
      raw = null;
    }
    if (raw?.type === 'update' || raw?.type === 'footer' || raw?.type === 'header') continue;
    const result = versionLineSchema.safeParse(raw);
    if (!result.success) throw invalidExport(`The export file changed while it was being imported (line ${line.number})`);
    yield result.data;
  }
}

/**
 * Imports a tenant export (export-tenant.ts): validates the whole file first (a truncated or corrupted file is
 * refused and nothing is written), creates the tenant (or fills an existing empty one), then replays every
 * version with the update that produced it, and finally the updates that produced none (pending, rejected,
 * conflicted, no-op approvals). Ids, timestamps, hashes and statuses are kept, so the round trip is lossless.
 */
export async function importTenant(engine: Engine, source: ImportSource, options: ImportOptions = {}): Promise<ImportSummary> {
  if (options.tenantId !== undefined) parseWith(tenantIdSchema, options.tenantId, 'tenant id');
  const rereadable = typeof source === 'function';
  const kept: VersionLine[] = [];
  const validated = await validateExport(rereadable ? source() : source, {
    onVersion: rereadable ? undefined : (version) => kept.push(version),
    onProgress: options.onProgress,
  });
  const tenantId = options.tenantId ?? validated.header.tenant.id;
  const createdTenant = await prepareTarget(engine, validated, tenantId);

  const total = validated.footer.versions + validated.footer.updates;
  let done = 0;
  const progress = () => options.onProgress?.({ phase: 'write', done, total });
  const store = engine.store.contexts;
  const window = new CommitWindow(COMMIT_CONCURRENCY);
  const versions: AsyncIterable<VersionLine> | VersionLine[] = rereadable ? versionsOf(source()) : kept;
  let previous: { key: string; task: Promise<void> } | undefined;
  for await (const version of versions) {
    const update = validated.updates.get(version.updateId);
    if (update === undefined || update.key !== version.key || update.appliedVersion !== version.version) {
      await window.drain();
      throw invalidExport(`The export file changed while it was being imported (version ${version.version} of ${version.key})`);
    }
    const { value, deleted, contentHash, source: updateSource, author, createdAt } = version;
    const write = async () => {
      await store.commit({
        update: withTenant(update, tenantId),
        append: {
          expectedCurrentVersion: version.version === 1 ? null : version.version - 1,
          draft: {
            value,
            deleted,
            contentHash,
            source: updateSource,
            author,
            createdAt,
            ...(deleted ? {} : { tokenCounts: countDocumentTokens(canonicalJson(value)) }),
          },
        },
      });
      done += 1;
      progress();
    };
    // Versions of one key are written in order; different keys go in parallel.
    const { task } = await window.start(write, previous?.key === version.key ? previous.task : undefined);
    previous = { key: version.key, task };
  }
  for (const update of validated.updates.values()) {
    if (validated.versionUpdateIds.has(update.id)) continue;
    await window.start(async () => {
      await store.commit({ update: withTenant(update, tenantId) });
      done += 1;
      progress();
    });
  }
  await window.drain();
  return {
    tenantId,
    sourceTenantId: validated.header.tenant.id,
    versions: validated.footer.versions,
    updates: validated.footer.updates,
    createdTenant,
  };
}
