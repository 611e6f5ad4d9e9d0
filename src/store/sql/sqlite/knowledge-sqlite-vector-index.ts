import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlExecutor } from '../sql-executor.js';
import type { KnowledgeIndexChange } from '../sql-knowledge-store-dialect.js';
import { HnswIndex, type HnswMatch, type HnswParameters, loadUsearch } from './knowledge-sqlite-hnsw.js';

export interface SqliteVectorIndexOptions {
  /** Where index files are kept (beside the database file); undefined keeps them in memory only. */
  directory: string | undefined;
  /** Tenants with fewer chunks are answered by the exact sqlite-vec scan. */
  minChunks: number;
  hnsw: HnswParameters;
}

/** Bumped when the file layout or the index parameters' meaning changes: older files are rebuilt. */
const FORMAT = 1;
/** Vectors added per step of a rebuild; the event loop runs between steps. */
const BUILD_STEP = 256;
/** A failed build is tried again by a search after this long, not at once (another process may keep writing). */
const RETRY_AFTER_MS = 30_000;

interface SavedMeta {
  format: number;
  tenantId: string;
  generation: number;
  hnsw: HnswParameters;
  embedders: { embedder: string; file: string; dimensions: number; count: number }[];
}

/** One tenant's indexes (one per embedder) and the generation of the tenant's knowledge they reflect. */
interface TenantIndexes {
  state: 'building' | 'ready' | 'stale';
  generation: number;
  byEmbedder: Map<string, HnswIndex>;
  /** Committed changes not applied yet, by the generation they produced. */
  pending: Map<number, KnowledgeIndexChange>;
  /** Writes of this process to the tenant not settled yet. */
  inFlight: number;
  /** Changed since the files were written. */
  dirty: boolean;
  /** When the last build failed (state 'stale'). */
  failedAt: number;
  built: Promise<void>;
}

function blobVector(blob: Uint8Array): Float32Array {
  return new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
}

function tenantFileStem(tenantId: string): string {
  return createHash('sha256').update(tenantId).digest('hex').slice(0, 24);
}

/**
 * Approximate (HNSW, usearch) vector indexes of a SQLite store, one set per tenant, kept in step with the database:
 * this process's committed writes are applied in generation order; a tenant whose generation moved otherwise (another
 * process) is rebuilt from the database, and answered by the exact scan meanwhile. Indexes are written beside the
 * database on close and reloaded when their generation stamp matches the database's; otherwise rebuilt.
 */
export class SqliteVectorIndexes {
  readonly #reader: SqlExecutor;
  readonly #options: SqliteVectorIndexOptions;
  readonly #tenants = new Map<string, TenantIndexes>();
  #closed = false;

  constructor(reader: SqlExecutor, options: SqliteVectorIndexOptions) {
    this.#reader = reader;
    this.#options = options;
  }

  get available(): boolean {
    return loadUsearch() !== undefined;
  }

  /**
   * Approximate neighbours, or undefined when the exact scan must answer: a small tenant, an index not built or not
   * at `generation`, an embedder without an index.
   */
  search(tenantId: string, stats: { generation: number; chunks: number }, embedder: string, vector: Float32Array, count: number) {
    if (stats.chunks < this.#options.minChunks || !this.available) return undefined;
    const tenant = this.#tenants.get(tenantId);
    if (tenant === undefined) {
      this.#startBuild(tenantId);
      return undefined;
    }
    if (tenant.state === 'stale' && Date.now() - tenant.failedAt >= RETRY_AFTER_MS) this.#startBuild(tenantId);
    if (tenant.state !== 'ready') return undefined;
    if (tenant.generation !== stats.generation) {
      // Not explained by a write of this process in flight: another process wrote. Rebuild.
      if (tenant.inFlight === 0 && tenant.generation < stats.generation) this.#startBuild(tenantId);
      return undefined;
    }
    const index = tenant.byEmbedder.get(embedder);
    if (index === undefined || index.dimensions !== vector.length) return undefined;
    return index.search(vector, count) satisfies HnswMatch[];
  }

  /**
   * Resolves once the tenant's index is built or loaded and at `stats.generation` or later (at once for a small
   * tenant or without usearch); starts a build when there is none, the last one failed, or another process wrote.
   */
  async prepare(tenantId: string, stats: { generation: number; chunks: number }): Promise<void> {
    if (stats.chunks < this.#options.minChunks || !this.available) return;
    const existing = this.#tenants.get(tenantId);
    const behind = existing?.state === 'ready' && existing.inFlight === 0 && existing.generation < stats.generation;
    const tenant = existing === undefined || existing.state === 'stale' || behind ? this.#startBuild(tenantId) : existing;
    await tenant.built;
  }

  writeStarted(tenantId: string): void {
    const tenant = this.#tenants.get(tenantId);
    if (tenant !== undefined) tenant.inFlight += 1;
  }

  /** After a write settled: `change` when it committed (and changed anything), undefined when it failed. */
  writeFinished(tenantId: string, change: KnowledgeIndexChange | undefined): void {
    let tenant = this.#tenants.get(tenantId);
    if (tenant !== undefined) tenant.inFlight = Math.max(0, tenant.inFlight - 1);
    if (change === undefined) return;
    if (tenant === undefined) {
      if (change.chunks < this.#options.minChunks || !this.available) return;
      tenant = this.#startBuild(tenantId);
    }
    tenant.pending.set(change.generation, change);
    this.#drain(tenant);
  }

  /** Writes every changed index beside the database. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const [tenantId, tenant] of this.#tenants) {
      await tenant.built.catch(() => undefined);
      if (tenant.state === 'ready' && tenant.dirty) this.#save(tenantId, tenant);
    }
  }

  #drain(tenant: TenantIndexes): void {
    if (tenant.state !== 'ready') return;
    for (let change = tenant.pending.get(tenant.generation + 1); change !== undefined; ) {
      tenant.pending.delete(change.generation);
      this.#apply(tenant, change);
      tenant.generation = change.generation;
      tenant.dirty = true;
      change = tenant.pending.get(tenant.generation + 1);
    }
    for (const generation of tenant.pending.keys()) if (generation <= tenant.generation) tenant.pending.delete(generation);
  }

  #apply(tenant: TenantIndexes, change: KnowledgeIndexChange): void {
    for (const index of tenant.byEmbedder.values()) index.remove(change.removed);
    const byEmbedder = new Map<string, { seqs: number[]; vectors: Float32Array[] }>();
    for (const added of change.added) {
      const group = byEmbedder.get(added.embedder) ?? { seqs: [], vectors: [] };
      group.seqs.push(added.seq);
      group.vectors.push(added.embedding);
      byEmbedder.set(added.embedder, group);
    }
    for (const [embedder, group] of byEmbedder) {
      const first = group.vectors[0];
      if (first === undefined) continue;
      let index = tenant.byEmbedder.get(embedder);
      if (index === undefined) {
        const usearch = loadUsearch();
        if (usearch === undefined) return;
        index = HnswIndex.create(usearch, first.length, this.#options.hnsw);
        tenant.byEmbedder.set(embedder, index);
      }
      index.add(group.seqs, group.vectors);
    }
  }

  #startBuild(tenantId: string): TenantIndexes {
    const previous = this.#tenants.get(tenantId);
    const tenant: TenantIndexes = {
      state: 'building',
      generation: 0,
      byEmbedder: new Map(),
      pending: previous?.pending ?? new Map(),
      inFlight: previous?.inFlight ?? 0,
      dirty: false,
      failedAt: 0,
      built: Promise.resolve(),
    };
    this.#tenants.set(tenantId, tenant);
    tenant.built = this.#build(tenantId, tenant).then(
      () => {
        tenant.state = 'ready';
        this.#drain(tenant);
      },
      (error: unknown) => {
        tenant.state = 'stale';
        tenant.failedAt = Date.now();
        // A build the store's closing cut short is no failure worth a warning.
        if (this.#closed) return;
        const reason = error instanceof Error ? error.message : String(error);
        process.emitWarning(`Vector index of a tenant could not be built (${reason}); the exact scan answers`, {
          code: 'CTX_VECTOR_INDEX_FAILED',
        });
      },
    );
    return tenant;
  }

  async #generation(tenantId: string): Promise<number> {
    const row = await this.#reader.get<{ generation: number }>('SELECT generation FROM knowledge_tenants WHERE tenant_id = ?', [
      tenantId,
    ]);
    return Number(row?.generation ?? 0);
  }

  async #build(tenantId: string, tenant: TenantIndexes): Promise<void> {
    const usearch = loadUsearch();
    if (usearch === undefined) throw new Error('usearch is unavailable');
    const start = await this.#generation(tenantId);
    if (this.#load(tenantId, tenant, start)) return;
    let after = 0;
    for (;;) {
      if (this.#closed) throw new Error('the store closed during the build');
      const rows = await this.#reader.all<{ seq: number; embedder: string; embedding: Uint8Array }>(
        'SELECT seq, embedder, embedding FROM knowledge_chunks WHERE tenant_id = ? AND embedding IS NOT NULL AND seq > ? ' +
          'ORDER BY seq LIMIT ?',
        [tenantId, after, BUILD_STEP],
      );
      const last = rows.at(-1);
      if (last === undefined) break;
      after = last.seq;
      this.#apply(tenant, {
        generation: start,
        chunks: 0,
        removed: [],
        added: rows.map((row) => ({ seq: row.seq, embedder: row.embedder, embedding: blobVector(row.embedding) })),
      });
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Rows were read while writes went on: this process's writes since `start` replay in order (adds and removes are
    // idempotent); a generation this process did not write means another process wrote: build again later.
    const end = await this.#generation(tenantId);
    for (let generation = start + 1; generation <= end; generation += 1) {
      if (!tenant.pending.has(generation)) throw new Error('the tenant changed in another process during the build');
    }
    tenant.generation = start;
    tenant.dirty = true;
    if (this.#options.directory !== undefined && tenant.pending.size === 0) this.#save(tenantId, tenant);
  }

  /** Reads the saved indexes when their stamp matches the database; false when missing, stale or unreadable. */
  #load(tenantId: string, tenant: TenantIndexes, generation: number): boolean {
    const { directory } = this.#options;
    const usearch = loadUsearch();
    if (directory === undefined || usearch === undefined) return false;
    try {
      const meta = JSON.parse(readFileSync(join(directory, `${tenantFileStem(tenantId)}.json`), 'utf8')) as SavedMeta;
      const sameParameters = JSON.stringify(meta.hnsw) === JSON.stringify(this.#options.hnsw);
      if (meta.format !== FORMAT || meta.tenantId !== tenantId || meta.generation !== generation || !sameParameters) return false;
      const loaded = new Map<string, HnswIndex>();
      for (const entry of meta.embedders) {
        const index = HnswIndex.load(usearch, join(directory, entry.file), entry.dimensions, this.#options.hnsw);
        if (index.size !== entry.count) return false;
        loaded.set(entry.embedder, index);
      }
      tenant.byEmbedder = loaded;
      tenant.generation = generation;
      return true;
    } catch {
      return false;
    }
  }

  #save(tenantId: string, tenant: TenantIndexes): void {
    const { directory } = this.#options;
    if (directory === undefined) return;
    try {
      mkdirSync(directory, { recursive: true });
      const stem = tenantFileStem(tenantId);
      const embedders: SavedMeta['embedders'] = [];
      let position = 0;
      for (const [embedder, index] of tenant.byEmbedder) {
        const file = `${stem}-${position}.usearch`;
        position += 1;
        index.save(join(directory, `${file}.tmp`));
        renameSync(join(directory, `${file}.tmp`), join(directory, file));
        embedders.push({ embedder, file, dimensions: index.dimensions, count: index.size });
      }
      const meta: SavedMeta = { format: FORMAT, tenantId, generation: tenant.generation, hnsw: this.#options.hnsw, embedders };
      writeFileSync(join(directory, `${stem}.json.tmp`), JSON.stringify(meta));
      renameSync(join(directory, `${stem}.json.tmp`), join(directory, `${stem}.json`));
      tenant.dirty = false;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      process.emitWarning(`Vector index could not be saved (${reason}); it is rebuilt at the next start`, {
        code: 'CTX_VECTOR_INDEX_NOT_SAVED',
      });
    }
  }
}
