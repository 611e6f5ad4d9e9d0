import { createHash } from 'node:crypto';
import type { JsonObject } from '../../core/json.js';
import {
  dateIndexOf,
  type KnowledgeHit,
  type KnowledgeItemRecord,
  type KnowledgeStats,
  type KnowledgeStore,
  type LexicalQuery,
  type VectorQuery,
} from '../knowledge-store.js';
import { tenantNotFoundError } from '../store-errors.js';
import { selectInChunks } from './multi-row.js';
import { rethrowConstraint } from './sql-constraint-violation.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlDatabase, SqlExecutor, SqlTransaction } from './sql-executor.js';
import type { KnowledgeChunkRow, KnowledgeSqlParts, ScoredSeq } from './sql-knowledge-store-dialect.js';
import { knowledgePartsFor } from './sql-knowledge-store-parts.js';
import type { WriteQueue } from './write-queue.js';

interface ChunkRow {
  seq: number | string;
  item_id: string;
  chunk_index: number;
  text: string;
  tokens: number;
  metadata: unknown;
  milestone: string | null;
  created_at: string;
}

const SELECT_ROWS =
  'SELECT seq, item_id, chunk_index, text, tokens, metadata, milestone, created_at FROM knowledge_chunks WHERE tenant_id = ? AND seq IN';

/**
 * Lexical terms are stored prefixed with a hash of their tenant: a term's postings, and so its document frequency,
 * belong to one tenant, and an index lookup never walks another tenant's chunks.
 */
export function tenantTermPrefix(tenantId: string): string {
  return `k${createHash('sha256').update(tenantId).digest('hex').slice(0, 9)}`;
}

/** Knowledge on any SQL dialect: rows and statistics here, the lexical and vector index in the dialect's parts. */
export class SqlKnowledgeStore implements KnowledgeStore {
  readonly #reader: SqlExecutor;
  readonly #dialect: SqlDialect;
  readonly #writes: WriteQueue;
  readonly #parts: KnowledgeSqlParts;

  constructor(database: SqlDatabase, writes: WriteQueue) {
    this.#reader = database.reader;
    this.#dialect = database.dialect;
    this.#writes = writes;
    this.#parts = knowledgePartsFor(database.dialect.backend);
  }

  put(tenantId: string, items: readonly KnowledgeItemRecord[]): Promise<{ generation: number }> {
    const prefix = tenantTermPrefix(tenantId);
    return this.#writes.enqueue(async (transaction) => {
      // The tenant's row first: it serialises writers of one tenant (a row lock in PostgreSQL) and bumps the generation.
      const generation = await this.#bumpGeneration(transaction, tenantId);
      let itemDelta = 0;
      let chunkDelta = 0;
      let termDelta = 0;
      const rows: KnowledgeChunkRow[] = [];
      for (const item of lastWriteWins(items)) {
        const removed = await this.#deleteItem(transaction, tenantId, item.id);
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
      await this.#parts.insertChunks(transaction, tenantId, rows);
      await transaction.run(
        'UPDATE knowledge_tenants SET items = items + ?, chunks = chunks + ?, terms = terms + ? WHERE tenant_id = ?',
        [itemDelta, chunkDelta, termDelta, tenantId],
      );
      return { generation };
    });
  }

  remove(tenantId: string, id: string): Promise<{ removed: number; generation: number }> {
    return this.#writes.enqueue(async (transaction) => {
      const locked = await transaction.get<{ generation: number | string }>(
        `SELECT generation FROM knowledge_tenants WHERE tenant_id = ?${this.#dialect.lockForUpdate}`,
        [tenantId],
      );
      if (locked === undefined) return { removed: 0, generation: 0 };
      const removed = await this.#deleteItem(transaction, tenantId, id);
      if (removed.chunks === 0) return { removed: 0, generation: Number(locked.generation) };
      const row = await transaction.get<{ generation: number | string }>(
        'UPDATE knowledge_tenants SET generation = generation + 1, items = items - 1, chunks = chunks - ?, terms = terms - ? ' +
          'WHERE tenant_id = ? RETURNING generation',
        [removed.chunks, removed.terms, tenantId],
      );
      return { removed: removed.chunks, generation: Number(row?.generation ?? 0) };
    });
  }

  async lexicalSearch(tenantId: string, query: LexicalQuery): Promise<KnowledgeHit[]> {
    if (query.terms.length === 0 || query.limit < 1) return [];
    const prefix = tenantTermPrefix(tenantId);
    const scored = await this.#parts.lexicalSearch(this.#reader, tenantId, {
      ...query,
      terms: [...new Set(query.terms)].map((term) => prefix + term),
    });
    return this.#hits(tenantId, scored);
  }

  async vectorSearch(tenantId: string, query: VectorQuery): Promise<KnowledgeHit[]> {
    if (query.limit < 1) return [];
    return this.#hits(tenantId, await this.#parts.vectorSearch(this.#reader, tenantId, query));
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

  async #deleteItem(transaction: SqlTransaction, tenantId: string, itemId: string): Promise<{ chunks: number; terms: number }> {
    const existing = await transaction.get<{ chunks: number | string; terms: number | string | null }>(
      'SELECT count(*) AS chunks, sum(term_count) AS terms FROM knowledge_chunks WHERE tenant_id = ? AND item_id = ?',
      [tenantId, itemId],
    );
    const chunks = Number(existing?.chunks ?? 0);
    if (chunks === 0) return { chunks: 0, terms: 0 };
    await this.#parts.deleteFromIndex(transaction, tenantId, itemId);
    await transaction.run('DELETE FROM knowledge_chunks WHERE tenant_id = ? AND item_id = ?', [tenantId, itemId]);
    return { chunks, terms: Number(existing?.terms ?? 0) };
  }

  /** Reads the rows of scored chunks, in score order. */
  async #hits(tenantId: string, scored: readonly ScoredSeq[]): Promise<KnowledgeHit[]> {
    if (scored.length === 0) return [];
    const rows = await selectInChunks(
      scored.map(({ seq }) => seq),
      (seqs) => this.#reader.all<ChunkRow>(`${SELECT_ROWS} (${seqs.map(() => '?').join(', ')})`, [tenantId, ...seqs]),
    );
    const bySeq = new Map(rows.map((row) => [Number(row.seq), row]));
    const hits: KnowledgeHit[] = [];
    for (const { seq, score } of scored) {
      const row = bySeq.get(seq);
      if (row === undefined) continue;
      hits.push({
        itemId: row.item_id,
        chunkIndex: Number(row.chunk_index),
        text: row.text,
        tokens: Number(row.tokens),
        metadata: this.#dialect.decodeJson(row.metadata) as JsonObject,
        milestone: row.milestone,
        createdAt: row.created_at,
        score,
      });
    }
    return hits;
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
