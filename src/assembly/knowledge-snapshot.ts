import type { RenderItem } from './render.js';

type KnowledgeItem = Extract<RenderItem, { layer: 'knowledge' }>;

/** A knowledge item's snapshot: the chunk as stored, without the score one query gave it (the record keeps that). */
export type KnowledgeSnapshot = Omit<KnowledgeItem, 'score'>;

export function withoutScore(item: KnowledgeItem): KnowledgeSnapshot {
  const { score: _score, ...snapshot } = item;
  return snapshot;
}

/**
 * The item a knowledge snapshot stood for in one assembly: its score from the record (`knowledgeScores`, by the
 * snapshot's hash). Records written before scores moved there have it in the snapshot itself. Undefined when neither.
 */
export function knowledgeItemOf(
  snapshot: Record<string, unknown>,
  hash: string,
  scores: Readonly<Record<string, number>> | undefined,
): RenderItem | undefined {
  if (typeof snapshot.score === 'number') return snapshot as unknown as RenderItem;
  const score = scores?.[hash];
  if (score === undefined) return undefined;
  return { ...snapshot, score } as unknown as RenderItem;
}
