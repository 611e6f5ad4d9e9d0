import {
  dateIndexOf,
  type KnowledgeHit,
  type KnowledgeItemRecord,
  type KnowledgeRef,
  type KnowledgeStats,
  type KnowledgeStore,
  type LexicalQuery,
  type VectorQuery,
} from '../knowledge-store.js';
import { tenantNotFoundError } from '../store-errors.js';
import { rethrowConstraint } from './sql-constraint-violation.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlDatabase, SqlExecutor, SqlTransaction } from './sql-executor.js';
import type {
  KnowledgeChunkRow,
  KnowledgeIndexChange,
  KnowledgeSqlParts,
  KnowledgeTenantStats,
  ScoredSeq,
} from './sql-knowledge-store-dialect.js';
import { knowledgePartsFor } from './sql-knowledge-store-parts.js';
import { readHits, readRefs } from './sql-knowledge-store-rows.js';
import { tenantTermPrefix } from './sql-knowledge-store-term-prefix.js';
import type { WriteQueue } from './write-queue.js';

export { tenantTermPrefix } from './sql-knowledge-store-term-prefix.js';

/** Knowledge on any SQL dialect: rows and statistics here, the lexical and vector index in the dialect's parts. */
export class SqlKnowledgeStore implements KnowledgeStore {
  readonly #reader: SqlExecutor;
  readonly #dialect: SqlDialect;
  readonly #writes: WriteQueue;
  readonly #parts: KnowledgeSqlParts;

  /** `parts`: the dialect's lexical and vector parts (default: stateless parts without an outside index). */
  constructor(database: SqlDatabase, writes: WriteQueue, parts?: KnowledgeSqlParts) {
    this.#reader = database.reader;
    this.#dialect = database.dialect;
    this.#writes = writes;
    this.#parts = parts ?? knowledgePartsFor(database.dialect.backend);
  }

  /** Runs a write; reports what it changed to an outside index once it has committed (or that it failed). */
  async #tracked<T>(
    tenantId: string,
    write: (transaction: SqlTransaction, change: KnowledgeIndexChange | undefined) => Promise<T>,
  ): Promise<T> {
    const parts = this.#parts;
    if (parts.tracksChanges !== true) return this.#writes.enqueue((transaction) => write(transaction, undefined));
    parts.writeStarted?.(tenantId);
    let change: KnowledgeIndexChange | undefined;
    try {
      const result = await this.#writes.enqueue((transaction) => {
        change = { generation: 0, chunks: 0, removed: [], added: [] };
        return write(transaction, change);
      });
      parts.writeFinished?.(tenantId, change !== undefined && change.generation > 0 ? change : undefined);
      return result;
    } catch (error) {
      parts.writeFinished?.(tenantId, undefined);
      throw error;
    }
  }

  put(tenantId: string, items: readonly KnowledgeItemRecord[]): Promise<{ generation: number }> {
    const prefix = tenantTermPrefix(tenantId);
    return this.#tracked(tenantId, async (transaction, change) => {
      // The tenant's row first: it serialises writers of one tenant (a row lock in PostgreSQL) and bumps the generation.
      const generation = await this.#bumpGeneration(transaction, tenantId);
      let itemDelta = 0;
      let chunkDelta = 0;
      let termDelta = 0;
      const rows: KnowledgeChunkRow[] = [];
      for (const item of lastWriteWins(items)) {
        const removed = await this.#deleteItem(transaction, tenantId, item.id);
        if (change !== undefined) (change.removed as number[]).push(...removed.seqs);
        itemDelta += removed.chunks > 0 ? 0 : 1;
        chunkDelta += item.chunks.length - removed.chunks;
        termDelta -= removed.terms;
        const metadataJson = this.#dialect.encodeJson(item.metadata);
        const dateIndexJson = this.#dialect.encodeJson(dateIndexOf(item.metadata));
        for (const chunk of item.chunks) {
          termDelta += chunk.terms.length;
          rows.push({
            item,
            index: chunk.index,
            text: chunk.text,
            tokens: chunk.tokens,
            terms: chunk.terms.map((term) => prefix + term),
            embedding: chunk.embedding,
            metadataJson,
            dateIndexJson,
          });
        }
      }
      const seqs = await this.#parts.insertChunks(transaction, tenantId, rows);
      const totals = await transaction.get<{ chunks: number | string }>(
        'UPDATE knowledge_tenants SET items = items + ?, chunks = chunks + ?, terms = terms + ? WHERE tenant_id = ? RETURNING chunks',
        [itemDelta, chunkDelta, termDelta, tenantId],
      );
      if (change !== undefined) {
        change.generation = generation;
        change.chunks = Number(totals?.chunks ?? 0);
        change.added = rows.flatMap((row, position) => {
          const seq = seqs[position];
          return seq === undefined || row.embedding.every((value) => value === 0)
            ? []
            : [{ seq, itemId: row.item.id, chunkIndex: row.index, embedder: row.item.embedder, embedding: row.embedding }];
        });
      }
      return { generation };
    });
  }

  remove(tenantId: string, id: string): Promise<{ removed: number; generation: number }> {
    return this.#tracked(tenantId, async (transaction, change) => {
      const locked = await transaction.get<{ generation: number | string }>(
        `SELECT generation FROM knowledge_tenants WHERE tenant_id = ?${this.#dialect.lockForUpdate}`,
        [tenantId],
      );
      if (locked === undefined) return { removed: 0, generation: 0 };
      const removed = await this.#deleteItem(transaction, tenantId, id);
      if (removed.chunks === 0) return { removed: 0, generation: Number(locked.generation) };
      const row = await transaction.get<{ generation: number | string; chunks: number | string }>(
        'UPDATE knowledge_tenants SET generation = generation + 1, items = items - 1, chunks = chunks - ?, terms = terms - ? ' +
          'WHERE tenant_id = ? RETURNING generation, chunks',
        [removed.chunks, removed.terms, tenantId],
      );
      const generation = Number(row?.generation ?? 0);
      if (change !== undefined) Object.assign(change, { generation, chunks: Number(row?.chunks ?? 0), removed: removed.seqs });
      return { removed: removed.chunks, generation };
    });
  }

  async lexicalSearch(tenantId: string, query: LexicalQuery): Promise<KnowledgeHit[]> {
    return readHits(this.#reader, this.#dialect, tenantId, await this.#lexicalScores(tenantId, query), query.limit);
  }

  async vectorSearch(tenantId: string, query: VectorQuery): Promise<KnowledgeHit[]> {
    return readHits(this.#reader, this.#dialect, tenantId, await this.#vectorScores(tenantId, query), query.limit);
  }

  async lexicalRefs(tenantId: string, query: LexicalQuery): Promise<KnowledgeRef[]> {
    return readRefs(this.#reader, tenantId, await this.#lexicalScores(tenantId, query), query.limit);
  }

  async vectorRefs(tenantId: string, query: VectorQuery): Promise<KnowledgeRef[]> {
    return readRefs(this.#reader, tenantId, await this.#vectorScores(tenantId, query), query.limit);
  }

  async hitsOf(tenantId: string, refs: readonly KnowledgeRef[]): Promise<KnowledgeHit[]> {
    const hits = await readHits(
      this.#reader,
      this.#dialect,
      tenantId,
      refs.map(({ key, score }) => ({ seq: key, score })),
      refs.length,
    );
    // readHits orders by score, then item and chunk: the refs' own order (a fused one) is kept instead.
    const byKey = new Map(hits.map((hit) => [`${hit.itemId}#${hit.chunkIndex}`, hit]));
    return refs.flatMap((ref) => byKey.get(`${ref.itemId}#${ref.chunkIndex}`) ?? []);
  }

  async #lexicalScores(tenantId: string, query: LexicalQuery): Promise<readonly ScoredSeq[]> {
    if (query.terms.length === 0 || query.limit < 1) return [];
    const prefix = tenantTermPrefix(tenantId);
    return this.#parts.lexicalSearch(this.#reader, tenantId, {
      ...query,
      terms: [...new Set(query.terms)].map((term) => prefix + term),
    });
  }

  async #vectorScores(tenantId: string, query: VectorQuery): Promise<readonly ScoredSeq[]> {
    if (query.limit < 1) return [];
    const stats = await this.#tenantStats(tenantId);
    if (stats.chunks === 0) return [];
    return this.#parts.vectorSearch(this.#reader, tenantId, query, stats);
  }

  /** Resolves once the tenant's approximate vector index is usable (at once when there is none). */
  async prepare(tenantId: string): Promise<void> {
    await this.#parts.prepare?.(tenantId, await this.#tenantStats(tenantId));
  }

  /** Writes what the dialect keeps outside the database (SQLite's vector index files). */
  async close(): Promise<void> {
    await this.#parts.close?.();
  }

  async #tenantStats(tenantId: string): Promise<KnowledgeTenantStats> {
    const row = await this.#reader.get<{ generation: number | string; chunks: number | string }>(
      'SELECT generation, chunks FROM knowledge_tenants WHERE tenant_id = ?',
      [tenantId],
    );
    return { generation: Number(row?.generation ?? 0), chunks: Number(row?.chunks ?? 0) };
  }

  async generation(tenantId: string): Promise<number> {
    const row = await this.#reader.get<{ generation: number | string }>(
      'SELECT generation FROM knowledge_tenants WHERE tenant_id = ?',
      [tenantId],
    );
    return Number(row?.generation ?? 0);
  }

  async stats(tenantId: string): Promise<KnowledgeStats> {
    const row = await this.#reader.get<{ generation: number | string; items: number | string; chunks: number | string }>(
      'SELECT generation, items, chunks FROM knowledge_tenants WHERE tenant_id = ?',
      [tenantId],
    );
    return { items: Number(row?.items ?? 0), chunks: Number(row?.chunks ?? 0), generation: Number(row?.generation ?? 0) };
  }

  async #bumpGeneration(transaction: SqlTransaction, tenantId: string): Promise<number> {
    try {
      const row = await transaction.get<{ generation: number | string }>(
        'INSERT INTO knowledge_tenants (tenant_id, generation, items, chunks, terms) VALUES (?, 1, 0, 0, 0) ' +
          'ON CONFLICT (tenant_id) DO UPDATE SET generation = knowledge_tenants.generation + 1 RETURNING generation',
        [tenantId],
      );
      return Number(row?.generation ?? 0);
    } catch (error) {
      rethrowConstraint(error, { foreign_key: () => tenantNotFoundError(tenantId) });
    }
  }

  async #deleteItem(
    transaction: SqlTransaction,
    tenantId: string,
    itemId: string,
  ): Promise<{ chunks: number; terms: number; seqs: number[] }> {
    const existing = await transaction.all<{ seq: number | string; term_count: number | string }>(
      'SELECT seq, term_count FROM knowledge_chunks WHERE tenant_id = ? AND item_id = ?',
      [tenantId, itemId],
    );
    if (existing.length === 0) return { chunks: 0, terms: 0, seqs: [] };
    await this.#parts.deleteFromIndex(transaction, tenantId, itemId);
    await transaction.run('DELETE FROM knowledge_chunks WHERE tenant_id = ? AND item_id = ?', [tenantId, itemId]);
    return {
      chunks: existing.length,
      terms: existing.reduce((sum, row) => sum + Number(row.term_count), 0),
      seqs: existing.map((row) => Number(row.seq)),
    };
  }
}

/** The last write of an id within one call wins (as if the items were written one after another). */
function lastWriteWins(items: readonly KnowledgeItemRecord[]): KnowledgeItemRecord[] {
  const byId = new Map<string, KnowledgeItemRecord>();
  for (const item of items) {
    byId.delete(item.id);
    byId.set(item.id, item);
  }
  return [...byId.values()];
}
