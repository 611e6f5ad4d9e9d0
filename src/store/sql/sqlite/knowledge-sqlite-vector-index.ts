import type { SqlExecutor } from '../sql-executor.js';
import type { ChunkIds, KnowledgeIndexChange } from '../sql-knowledge-store-dialect.js';
import { HnswWorker } from './hnsw-worker.js';
import { HnswIndex, type HnswMatch, type HnswParameters, loadUsearch } from './knowledge-sqlite-hnsw.js';
import { loadSavedIndexes, saveIndexes } from './knowledge-sqlite-vector-files.js';

export interface SqliteVectorIndexOptions {
  /** Where index files are kept (beside the database file); undefined keeps them in memory only. */
  directory: string | undefined;
  /** Tenants with fewer chunks are answered by the exact sqlite-vec scan. */
  minChunks: number;
  hnsw: HnswParameters;
}

/** Vectors read per step of a rebuild; the event loop runs between steps. */
const BUILD_STEP = 256;
/** Steps of a rebuild sent to the index thread and not yet added: reading runs ahead of adding by at most this. */
const BUILD_WINDOW = 8;
/** Chunk ids read per step when a saved index is loaded. */
const IDS_STEP = 4096;
/** A failed build is tried again by a search after this long, not at once (another process may keep writing). */
const RETRY_AFTER_MS = 30_000;

/** One tenant's indexes (one per embedder) and the generation of the tenant's knowledge they reflect. */
interface TenantIndexes {
  state: 'building' | 'ready' | 'stale';
  generation: number;
  byEmbedder: Map<string, HnswIndex>;
  /** Item id and chunk index of every indexed seq: a ranking by the index alone needs no row read. */
  ids: Map<number, ChunkIds>;
  /** Committed changes not applied yet, by the generation they produced. */
  pending: Map<number, KnowledgeIndexChange>;
  /** Writes of this process to the tenant not settled yet. */
  inFlight: number;
  /** Changed since the files were written. */
  dirty: boolean;
  /** When the last build failed (state 'stale'). */
  failedAt: number;
  built: Promise<void>;
  /** Vectors added or removed by changes sent to the thread and not applied yet. */
  backlog: number;
  /** Settles once every change sent so far is applied (or failed). */
  applied: Promise<void>;
}

/**
 * A search waits behind the changes sent before it (the thread answers in order). Behind more vectors than this (a
 * bulk load still being inserted: ~1 s here), the exact scan answers instead of a wait that can run to minutes.
 */
const MAX_SEARCH_BACKLOG = 256;

/** An approximate neighbour with its chunk's ids (when known). */
export interface VectorIndexMatch extends HnswMatch {
  ids: ChunkIds | undefined;
}

function blobVector(blob: Uint8Array): Float32Array {
  return new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
}

function dropAll(indexes: Iterable<HnswIndex>): void {
  for (const index of indexes) index.drop();
}

/**
 * Approximate (HNSW, usearch) vector indexes of a SQLite store, one set per tenant, kept in step with the database:
 * this process's committed writes are applied in generation order; a tenant whose generation moved otherwise (another
 * process) is rebuilt from the database, and answered by the exact scan meanwhile. Indexes are written beside the
 * database on close and reloaded when their generation stamp matches the database's; otherwise rebuilt. The graphs
 * live on a thread of their own (HnswWorker): a search runs on the other core while the main thread goes on (an
 * assembly's lexical search and reads), and builds never block the event loop. If that thread dies, its tenants are
 * answered by the exact scan and rebuilt later, like a failed build.
 */
export class SqliteVectorIndexes {
  readonly #reader: SqlExecutor;
  readonly #options: SqliteVectorIndexOptions;
  readonly #tenants = new Map<string, TenantIndexes>();
  readonly #threadSource: string | undefined;
  #thread: HnswWorker | undefined;
  #closed = false;

  /** `threadSource` replaces the index thread's code (tests). */
  constructor(reader: SqlExecutor, options: SqliteVectorIndexOptions, threadSource?: string) {
    this.#reader = reader;
    this.#options = options;
    this.#threadSource = threadSource;
  }

  get available(): boolean {
    return loadUsearch() !== undefined;
  }

  /**
   * Approximate neighbours (with their chunks' ids), or undefined when the exact scan must answer: a small tenant, an
   * index not built or not at `generation`, an embedder without an index, an index thread that stopped.
   */
  async search(
    tenantId: string,
    stats: { generation: number; chunks: number },
    embedder: string,
    vector: Float32Array,
    count: number,
  ): Promise<VectorIndexMatch[] | undefined> {
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
    if (tenant.backlog > MAX_SEARCH_BACKLOG) return undefined;
    const index = tenant.byEmbedder.get(embedder);
    if (index === undefined || index.dimensions !== vector.length) return undefined;
    // Ids are looked up when the answer comes: a seq removed since the search was sent has none any more, and then the
    // caller reads the rows of the whole list (and drops the removed one), as it did before ids came with rankings.
    const ids = tenant.ids;
    try {
      const matches = await index.search(vector, count);
      return matches.map((match) => ({ ...match, ids: ids.get(match.seq) }));
    } catch (error) {
      this.#failed(tenant, error);
      return undefined;
    }
  }

  /**
   * Resolves once the tenant's index is built or loaded, at `stats.generation` or later, and the changes sent to its
   * thread are applied (at once for a small tenant or without usearch); starts a build when there is none, the last one
   * failed, or another process wrote.
   */
  async prepare(tenantId: string, stats: { generation: number; chunks: number }): Promise<void> {
    if (stats.chunks < this.#options.minChunks || !this.available) return;
    const existing = this.#tenants.get(tenantId);
    const behind = existing?.state === 'ready' && existing.inFlight === 0 && existing.generation < stats.generation;
    const tenant = existing === undefined || existing.state === 'stale' || behind ? this.#startBuild(tenantId) : existing;
    await tenant.built;
    // Changes sent are counted in the generation at once; the graphs hold them once the thread has applied them.
    await tenant.applied;
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

  /** Writes every changed index beside the database, then stops the index thread. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const [tenantId, tenant] of this.#tenants) {
      await tenant.built.catch(() => undefined);
      if (tenant.state === 'ready' && tenant.dirty) await this.#save(tenantId, tenant);
    }
    await this.#thread?.close();
  }

  #worker(): HnswWorker {
    this.#thread ??= new HnswWorker(this.#threadSource);
    return this.#thread;
  }

  #drain(tenant: TenantIndexes): void {
    if (tenant.state !== 'ready') return;
    for (let change = tenant.pending.get(tenant.generation + 1); change !== undefined; ) {
      tenant.pending.delete(change.generation);
      const size = change.added.length + change.removed.length;
      tenant.backlog += size;
      tenant.applied = this.#apply(tenant, change).then(
        () => {
          tenant.backlog -= size;
        },
        (error: unknown) => {
          tenant.backlog -= size;
          this.#failed(tenant, error);
        },
      );
      tenant.generation = change.generation;
      tenant.dirty = true;
      change = tenant.pending.get(tenant.generation + 1);
    }
    for (const generation of tenant.pending.keys()) if (generation <= tenant.generation) tenant.pending.delete(generation);
  }

  /**
   * Sends a change to the index thread (a later search is answered after it) and applies it to the ids at once; the
   * promise settles when the thread has applied it.
   */
  #apply(tenant: TenantIndexes, change: KnowledgeIndexChange): Promise<unknown> {
    const sent: Promise<unknown>[] = [];
    for (const index of tenant.byEmbedder.values()) sent.push(index.remove(change.removed));
    for (const seq of change.removed) tenant.ids.delete(seq);
    const byEmbedder = new Map<string, { seqs: number[]; vectors: Float32Array[] }>();
    for (const added of change.added) {
      const group = byEmbedder.get(added.embedder) ?? { seqs: [], vectors: [] };
      group.seqs.push(added.seq);
      group.vectors.push(added.embedding);
      byEmbedder.set(added.embedder, group);
      tenant.ids.set(added.seq, { itemId: added.itemId, chunkIndex: added.chunkIndex });
    }
    for (const [embedder, group] of byEmbedder) {
      const first = group.vectors[0];
      if (first === undefined) continue;
      let index = tenant.byEmbedder.get(embedder);
      if (index === undefined) {
        index = HnswIndex.create(this.#worker(), first.length, this.#options.hnsw);
        tenant.byEmbedder.set(embedder, index);
      }
      sent.push(index.add(group.seqs, group.vectors));
    }
    return Promise.all(sent);
  }

  /** The index thread failed the tenant (it stopped, or refused a change): the exact scan answers until a rebuild. */
  #failed(tenant: TenantIndexes, error: unknown): void {
    if (tenant.state !== 'ready') return;
    tenant.state = 'stale';
    tenant.failedAt = Date.now();
    dropAll(tenant.byEmbedder.values());
    if (this.#closed) return;
    const reason = error instanceof Error ? error.message : String(error);
    process.emitWarning(`Vector index of a tenant failed (${reason}); the exact scan answers until it is rebuilt`, {
      code: 'CTX_VECTOR_INDEX_FAILED',
    });
  }

  #startBuild(tenantId: string): TenantIndexes {
    const previous = this.#tenants.get(tenantId);
    if (previous !== undefined) dropAll(previous.byEmbedder.values());
    const tenant: TenantIndexes = {
      state: 'building',
      generation: 0,
      byEmbedder: new Map(),
      ids: new Map(),
      pending: previous?.pending ?? new Map(),
      inFlight: previous?.inFlight ?? 0,
      dirty: false,
      failedAt: 0,
      built: Promise.resolve(),
      backlog: 0,
      applied: Promise.resolve(),
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
        dropAll(tenant.byEmbedder.values());
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
    if (loadUsearch() === undefined) throw new Error('usearch is unavailable');
    const start = await this.#generation(tenantId);
    if (await this.#load(tenantId, tenant, start)) {
      await this.#readIds(tenantId, tenant);
      return;
    }
    const sent: Promise<unknown>[] = [];
    type Row = { seq: number; item_id: string; chunk_index: number; embedder: string; embedding: Uint8Array };
    await this.#eachStep<Row>(tenantId, 'seq, item_id, chunk_index, embedder, embedding', BUILD_STEP, async (rows) => {
      const applied = this.#apply(tenant, {
        generation: start,
        chunks: 0,
        removed: [],
        added: rows.map((row) => ({
          seq: row.seq,
          itemId: row.item_id,
          chunkIndex: Number(row.chunk_index),
          embedder: row.embedder,
          embedding: blobVector(row.embedding),
        })),
      });
      // Awaited below (its failure fails the build); until then it must not count as an unhandled rejection.
      applied.catch(() => undefined);
      sent.push(applied);
      // The thread adds while the next rows are read; reading runs at most BUILD_WINDOW steps ahead.
      if (sent.length >= BUILD_WINDOW) await sent.shift();
    });
    await Promise.all(sent);
    // Rows were read while writes went on: this process's writes since `start` replay in order (adds and removes are
    // idempotent); a generation this process did not write means another process wrote: build again later.
    const end = await this.#generation(tenantId);
    for (let generation = start + 1; generation <= end; generation += 1) {
      if (!tenant.pending.has(generation)) throw new Error('the tenant changed in another process during the build');
    }
    tenant.generation = start;
    tenant.dirty = true;
    if (this.#options.directory !== undefined && tenant.pending.size === 0) await this.#save(tenantId, tenant);
  }

  /** The ids of a loaded index's chunks, read in steps (the saved files hold vectors only). */
  async #readIds(tenantId: string, tenant: TenantIndexes): Promise<void> {
    type Row = { seq: number; item_id: string; chunk_index: number };
    await this.#eachStep<Row>(tenantId, 'seq, item_id, chunk_index', IDS_STEP, (rows) => {
      for (const row of rows) tenant.ids.set(row.seq, { itemId: row.item_id, chunkIndex: Number(row.chunk_index) });
    });
  }

  /**
   * The tenant's chunks that have a vector, `step` rows at a time in seq order, each step handed to `each`; the event
   * loop runs between steps, and a store that closes meanwhile ends the read with an error.
   */
  async #eachStep<Row extends { seq: number }>(
    tenantId: string,
    columns: string,
    step: number,
    each: (rows: Row[]) => Promise<void> | void,
  ): Promise<void> {
    for (let after = 0; ; ) {
      if (this.#closed) throw new Error('the store closed during the build');
      const rows = await this.#reader.all<Row>(
        `SELECT ${columns} FROM knowledge_chunks WHERE tenant_id = ? AND embedding IS NOT NULL AND seq > ? ORDER BY seq LIMIT ?`,
        [tenantId, after, step],
      );
      const last = rows.at(-1);
      if (last === undefined) return;
      after = last.seq;
      await each(rows);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Loads the saved indexes when their stamp matches the database; false when missing, stale or unreadable. */
  async #load(tenantId: string, tenant: TenantIndexes, generation: number): Promise<boolean> {
    const { directory, hnsw } = this.#options;
    if (directory === undefined) return false;
    const loaded = await loadSavedIndexes(this.#worker(), { directory, tenantId, generation, hnsw });
    if (loaded === undefined) return false;
    tenant.byEmbedder = loaded;
    tenant.generation = generation;
    return true;
  }

  async #save(tenantId: string, tenant: TenantIndexes): Promise<void> {
    const { directory, hnsw } = this.#options;
    if (directory === undefined) return;
    const generation = tenant.generation;
    try {
      await saveIndexes({ directory, tenantId, generation, hnsw }, tenant.byEmbedder);
      tenant.dirty = tenant.generation !== generation;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      process.emitWarning(`Vector index could not be saved (${reason}); it is rebuilt at the next start`, {
        code: 'CTX_VECTOR_INDEX_NOT_SAVED',
      });
    }
  }
}
