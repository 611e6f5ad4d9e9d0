import type { SqlExecutor } from '../sql-executor.js';
import { Bm25TopKIndex, type TermPostings } from '../sql-knowledge-store-bm25-index.js';
import { tenantTermPrefix } from '../sql-knowledge-store-term-prefix.js';

export interface SqliteLexicalIndexOptions {
  /** Tenants with fewer chunks are ranked by FTS5 alone (building an index would not pay). */
  minChunks: number;
}

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

/** The term one past every term that starts with `prefix` (prefixes end in a hex digit or a letter). */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/**
 * In-process BM25 indexes of large SQLite tenants (see Bm25TopKIndex), built from FTS5's own postings (an `instance`
 * fts5vocab table on the reader connection) and each chunk's term count. An index answers only at the tenant's
 * generation it was built at: a write (of any process) makes it stale, FTS5 answers while it is rebuilt in the
 * background. Not persisted: a restart rebuilds on the first search (or `prepare`).
 */
export class SqliteLexicalIndexes {
  readonly #reader: SqlExecutor;
  readonly #options: SqliteLexicalIndexOptions;
  readonly #tenants = new Map<string, TenantIndex>();
  #vocabulary: Promise<void> | undefined;
  #closed = false;

  constructor(reader: SqlExecutor, options: SqliteLexicalIndexOptions) {
    this.#reader = reader;
    this.#options = options;
  }

  /**
   * The tenant's index when it reflects `stats.generation`; otherwise undefined (FTS5 answers), and a build starts
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
        process.emitWarning(`Lexical index of a tenant could not be built (${reason}); FTS5 answers`, {
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
    const prefix = tenantTermPrefix(tenantId);
    this.#vocabulary ??= this.#reader
      .run('CREATE VIRTUAL TABLE IF NOT EXISTS temp.knowledge_fts_instance USING fts5vocab(main, knowledge_fts, instance)')
      .then(() => undefined);
    await this.#vocabulary;
    for (let attempt = 0; attempt < BUILD_ATTEMPTS; attempt += 1) {
      if (this.#closed) throw new Error('the store closed during the build');
      const start = await this.#generation(tenantId);
      const chunks = await this.#reader.all<{ seq: number; term_count: number }>(
        'SELECT seq, term_count FROM knowledge_chunks WHERE tenant_id = ? ORDER BY seq',
        [tenantId],
      );
      const terms = await this.#reader.all<{ term: string }>(
        'SELECT term FROM knowledge_fts_vocab WHERE term >= ? AND term < ?',
        [prefix, prefixEnd(prefix)],
      );
      const postings: TermPostings[] = [];
      for (const { term } of terms) {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.#closed) throw new Error('the store closed during the build');
        const rows = await this.#reader.all<{ doc: number; frequency: number }>(
          'SELECT doc, count(*) AS frequency FROM temp.knowledge_fts_instance WHERE term = ? GROUP BY doc',
          [term],
        );
        postings.push({ term, seqs: rows.map((row) => row.doc), frequencies: rows.map((row) => row.frequency) });
      }
      if ((await this.#generation(tenantId)) !== start) continue;
      const index = new Bm25TopKIndex(
        { seqs: chunks.map((row) => row.seq), lengths: chunks.map((row) => row.term_count) },
        postings,
      );
      return { generation: start, index };
    }
    throw new Error('the tenant kept changing during the build');
  }
}
