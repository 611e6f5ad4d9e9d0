import type { JsonObject } from '../../core/json.js';
import type { KnowledgeHit, KnowledgeRef } from '../knowledge-store.js';
import { selectInChunks } from './multi-row.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlExecutor } from './sql-executor.js';
import type { ChunkIds, ScoredSeq } from './sql-knowledge-store-dialect.js';

interface ChunkRow {
  seq: number | string;
  tenant_id: string;
  item_id: string;
  chunk_index: number;
  text: string;
  tokens: number;
  tokens_cl100k: number | null;
  metadata: unknown;
  milestone: string | null;
  created_at: string;
}

/**
 * Rows by seq (the primary key). The tenant is checked on each row rather than in the WHERE clause: given
 * `tenant_id = ?`, SQLite's planner may walk the tenant's whole index range instead of the few keys.
 */
const SELECT_ROWS =
  'SELECT seq, tenant_id, item_id, chunk_index, text, tokens, tokens_cl100k, metadata, milestone, created_at FROM knowledge_chunks WHERE seq IN';

/** The tenant, item and chunk of rows by seq: what ranking needs, without text or metadata. */
const SELECT_REFS = 'SELECT seq, tenant_id, item_id, chunk_index FROM knowledge_chunks WHERE seq IN';

/** The ids of scored chunks (no text or metadata): best first, ties by item id then chunk, at most `limit`. */
export async function readRefs(
  reader: SqlExecutor,
  tenantId: string,
  scored: readonly ScoredSeq[],
  limit: number,
): Promise<KnowledgeRef[]> {
  if (scored.length === 0) return [];
  if (scored.every(hasIds)) {
    // Ranked by an in-process index of this tenant at its current generation: the ids came with the ranking.
    return scored
      .map(({ seq, score, ids }) => ({ itemId: ids.itemId, chunkIndex: ids.chunkIndex, score, key: seq }))
      .sort(byScore)
      .slice(0, limit);
  }
  const rows = await selectInChunks(
    scored.map(({ seq }) => seq),
    (seqs) =>
      reader.all<Pick<ChunkRow, 'seq' | 'tenant_id' | 'item_id' | 'chunk_index'>>(
        `${SELECT_REFS} (${seqs.map(() => '?').join(', ')})`,
        seqs,
      ),
  );
  const bySeq = new Map(rows.map((row) => [Number(row.seq), row]));
  const refs: KnowledgeRef[] = [];
  for (const { seq, score } of scored) {
    const row = bySeq.get(seq);
    if (row === undefined || row.tenant_id !== tenantId) continue;
    refs.push({ itemId: row.item_id, chunkIndex: Number(row.chunk_index), score, key: seq });
  }
  return refs.sort(byScore).slice(0, limit);
}

/** Reads the rows of scored chunks: best first, ties by item id then chunk, at most `limit`. */
export async function readHits(
  reader: SqlExecutor,
  dialect: SqlDialect,
  tenantId: string,
  scored: readonly ScoredSeq[],
  limit: number,
): Promise<KnowledgeHit[]> {
  if (scored.length === 0) return [];
  const rows = await selectInChunks(
    scored.map(({ seq }) => seq),
    (seqs) => reader.all<ChunkRow>(`${SELECT_ROWS} (${seqs.map(() => '?').join(', ')})`, seqs),
  );
  const bySeq = new Map(rows.map((row) => [Number(row.seq), row]));
  const hits: KnowledgeHit[] = [];
  for (const { seq, score } of scored) {
    const row = bySeq.get(seq);
    if (row === undefined || row.tenant_id !== tenantId) continue;
    hits.push({
      itemId: row.item_id,
      chunkIndex: Number(row.chunk_index),
      text: row.text,
      // Chunks written before migration 0008 have no cl100k_base count: their o200k_base count stands in.
      tokens: { o200k_base: Number(row.tokens), cl100k_base: Number(row.tokens_cl100k ?? row.tokens) },
      metadata: dialect.decodeJson(row.metadata) as JsonObject,
      milestone: row.milestone,
      createdAt: row.created_at,
      score,
    });
  }
  return hits.sort(byScore).slice(0, limit);
}

function hasIds(scored: ScoredSeq): scored is ScoredSeq & { ids: ChunkIds } {
  return scored.ids !== undefined;
}

function byScore(
  left: Pick<KnowledgeHit, 'score' | 'itemId' | 'chunkIndex'>,
  right: Pick<KnowledgeHit, 'score' | 'itemId' | 'chunkIndex'>,
): number {
  if (left.score !== right.score) return right.score - left.score;
  if (left.itemId !== right.itemId) return left.itemId < right.itemId ? -1 : 1;
  return left.chunkIndex - right.chunkIndex;
}
