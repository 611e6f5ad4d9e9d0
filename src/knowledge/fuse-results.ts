import type { KnowledgeHit } from '../store/knowledge-store.js';

/** The constant of reciprocal rank fusion (Cormack et al.): 1 / (60 + rank). */
export const RRF_K = 60;

/** What fusion reads of a ranked chunk (a KnowledgeHit, or a KnowledgeRef before its row is read). */
export type RankedChunk = Pick<KnowledgeHit, 'itemId' | 'chunkIndex' | 'score'>;

function chunkKey(hit: RankedChunk): string {
  return JSON.stringify([hit.itemId, hit.chunkIndex]);
}

/**
 * Reciprocal rank fusion of ranked lists, normalised to [0, 1]: 1 when a chunk is first in every list, 0.5 at
 * most when only one of two lists has it. Returns every chunk of any list, best first (ties by id, chunk).
 */
export function fuseByReciprocalRank<Hit extends RankedChunk>(lists: readonly (readonly Hit[])[]): Hit[] {
  const best = lists.length / (RRF_K + 1);
  const fused = new Map<string, { hit: Hit; sum: number }>();
  for (const list of lists) {
    list.forEach((hit, index) => {
      const key = chunkKey(hit);
      const entry = fused.get(key) ?? { hit, sum: 0 };
      entry.sum += 1 / (RRF_K + index + 1);
      fused.set(key, entry);
    });
  }
  return [...fused.values()]
    .map(({ hit, sum }) => ({ ...hit, score: best === 0 ? 0 : sum / best }))
    .sort((left, right) => {
      if (left.score !== right.score) return right.score - left.score;
      if (left.itemId !== right.itemId) return left.itemId < right.itemId ? -1 : 1;
      return left.chunkIndex - right.chunkIndex;
    });
}
