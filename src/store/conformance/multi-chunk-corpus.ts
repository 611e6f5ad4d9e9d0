import type { KnowledgeItemRecord } from '../knowledge-store.js';
import { corpus } from './lexical-corpus.js';

/**
 * The lexical corpus's chunks grouped into items of one to three chunks, in reverse order of their ids: written in
 * that order, seq order is not item order, so ties between chunks are ordered by item id and chunk index, not by seq.
 */
export function multiChunkCorpus(seed: number, count: number, prefix: string): KnowledgeItemRecord[] {
  const records = corpus(seed, count, prefix);
  const items: KnowledgeItemRecord[] = [];
  for (let start = 0; start < records.length; ) {
    const group = records.slice(start, start + 1 + (items.length % 3));
    start += group.length;
    items.push({
      ...(group[0] as KnowledgeItemRecord),
      id: `${prefix}-${items.length}`,
      chunks: group.map((record, index) => ({ ...(record.chunks[0] as KnowledgeItemRecord['chunks'][number]), index })),
    });
  }
  return items.reverse();
}
