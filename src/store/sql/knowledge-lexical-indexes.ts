import type { SqlExecutor } from './sql-executor.js';
import { Bm25TopKIndex, type IndexedChunks, type IndexScoring, type TermPostings } from './sql-knowledge-store-bm25-index.js';

export interface LexicalIndexOptions {
  /** Tenants with fewer chunks are ranked by the database alone (building an index would not pay). */
  minChunks: number;
  /** How the index scores: BM25 (SQLite, as FTS5's bm25()) or cover density (PostgreSQL's ts_rank_cd of OR queries). */
  scoring: IndexScoring;
}

/**
 * One tenant's chunks (seq, length, item id and chunk index) and its terms' postings, read by a dialect for a build.
 * The ids are read with the seqs, in the same generation: searches at that generation need no row read to rank.
 */
export interface LexicalPostings {
  chunks: IndexedChunks;
  terms: TermPostings[];
}

/** Reads a tenant's postings (the dialect's way); the build checks the generation around it. */
export type PostingsLoader = (reader: SqlExecutor, tenantId: string, isClosed: () => boolean) => Promise<LexicalPostings>;

/** A failed build is tried again by a search after this long, not at once. */
const RETRY_AFTER_MS = 30_000;

/** Reads of a build that a write interrupted are started again this many times at most. */
const BUILD_ATTEMPTS = 3;

/** One tenant's index and the generation of its knowledge it reflects. */
interface TenantIndex {
  state: 'building' | 'ready' | 'stale';
  generation: number;
  index: Bm25TopKIndex | undefined;
  failedAt: number;
  /** A newer generation was seen during the build: build again once it ends. */
  again: boolean;
  built: Promise<void>;
}

/**
 * In-process top-k indexes of large tenants (see Bm25TopKIndex), built from the postings a dialect reads (SQLite:
 * FTS5's own; PostgreSQL: each chunk's tsvector). An index answers only at the tenant's generation it was built at: a
 * write (of any process) makes it stale, the database answers while it is rebuilt in the background. Not persisted:
 * a restart rebuilds on the first search (or `prepare`).
 */
export class LexicalIndexes {
  readonly #reader: SqlExecutor;
  readonly #options: LexicalIndexOptions;
  readonly #load: PostingsLoader;
  readonly #tenants = new Map<string, TenantIndex>();
  #closed = false;

  constructor(reader: SqlExecutor, options: LexicalIndexOptions, load: PostingsLoader) {
    this.#reader = reader;
    this.#options = options;
    this.#load = load;
  }

  /**
   * The tenant's index when it reflects `stats.generation`; otherwise undefined (the database answers), and a build starts
   * when none is running.
   */
  lookup(tenantId: string, stats: { generation: number; chunks: number }): Bm25TopKIndex | undefined {
    if (stats.chunks < this.#options.minChunks || this.#closed) return undefined;
    const tenant = this.#tenants.get(tenantId);
    if (tenant?.state === 'ready' && tenant.generation === stats.generation) return tenant.index;
    this.#refresh(tenantId, stats.generation, tenant);
    return undefined;
  }

  /** Resolves once the tenant's index reflects `stats.generation` (at once for a small tenant). */
  async prepare(tenantId: string, stats: { generation: number; chunks: number }): Promise<void> {
    if (stats.chunks < this.#options.minChunks || this.#closed) return;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const tenant = this.#tenants.get(tenantId);
      if (tenant?.state === 'ready' && tenant.generation >= stats.generation) return;
      const current = this.#refresh(tenantId, stats.generation, tenant, true);
      await current.built;
    }
  }

  close(): void {
    this.#closed = true;
    this.#tenants.clear();
  }

  #refresh(tenantId: string, generation: number, tenant: TenantIndex | undefined, force = false): TenantIndex {
    if (tenant?.state === 'building') {
      tenant.again ||= generation > tenant.generation;
      return tenant;
    }
    if (tenant?.state === 'stale' && !force && Date.now() - tenant.failedAt < RETRY_AFTER_MS) return tenant;
    const next: TenantIndex = {
      state: 'building',
      generation,
      index: tenant?.index,
      failedAt: 0,
      again: false,
      built: Promise.resolve(),
    };
    this.#tenants.set(tenantId, next);
    next.built = this.#build(tenantId).then(
      ({ generation: built, index }) => {
        if (this.#tenants.get(tenantId) !== next) return;
        Object.assign(next, { state: 'ready', generation: built, index });
        if (next.again) {
          next.again = false;
          this.#refresh(tenantId, built + 1, next);
        }
      },
      (error: unknown) => {
        Object.assign(next, { state: 'stale', failedAt: Date.now(), index: undefined });
        if (this.#closed) return;
        const reason = error instanceof Error ? error.message : String(error);
        process.emitWarning(`Lexical index of a tenant could not be built (${reason}); the database answers`, {
          code: 'CTX_LEXICAL_INDEX_FAILED',
        });
      },
    );
    return next;
  }

  async #generation(tenantId: string): Promise<number> {
    const row = await this.#reader.get<{ generation: number }>('SELECT generation FROM knowledge_tenants WHERE tenant_id = ?', [
      tenantId,
    ]);
    return Number(row?.generation ?? 0);
  }

  /** Reads the tenant's postings between two reads of its generation; retries when a write landed in between. */
  async #build(tenantId: string): Promise<{ generation: number; index: Bm25TopKIndex }> {
    for (let attempt = 0; attempt < BUILD_ATTEMPTS; attempt += 1) {
      if (this.#closed) throw new Error('the store closed during the build');
      const start = await this.#generation(tenantId);
      const { chunks, terms } = await this.#load(this.#reader, tenantId, () => this.#closed);
      if (this.#closed) throw new Error('the store closed during the build');
      if ((await this.#generation(tenantId)) !== start) continue;
      return { generation: start, index: new Bm25TopKIndex(chunks, terms, this.#options.scoring) };
    }
    throw new Error('the tenant kept changing during the build');
  }
}
