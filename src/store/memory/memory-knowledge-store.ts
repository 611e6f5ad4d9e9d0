import type { TokenCounts } from '../../core/token-counts.js';
import {
  BM25,
  type KnowledgeHit,
  type KnowledgeItemRecord,
  type KnowledgeStats,
  type KnowledgeStore,
  type LexicalQuery,
  type VectorQuery,
} from '../knowledge-store.js';
import { tenantNotFoundError } from '../store-errors.js';
import { matchesKnowledgeFilter } from './memory-knowledge-filter.js';

interface StoredChunk {
  item: KnowledgeItemRecord;
  index: number;
  text: string;
  tokens: TokenCounts;
  /** Term → frequency in this chunk. */
  frequencies: Map<string, number>;
  length: number;
  embedding: Float32Array;
  /** A zero embedding never matches a vector search. */
  zero: boolean;
}

/** One tenant's knowledge: items, their chunks and an inverted index (term → chunks holding it). */
class TenantKnowledge {
  readonly items = new Map<string, StoredChunk[]>();
  readonly postings = new Map<string, Set<StoredChunk>>();
  generation = 0;
  chunkCount = 0;
  termCount = 0;

  delete(id: string): number {
    const chunks = this.items.get(id);
    if (chunks === undefined) return 0;
    for (const chunk of chunks) {
      for (const term of chunk.frequencies.keys()) {
        const holders = this.postings.get(term);
        holders?.delete(chunk);
        if (holders?.size === 0) this.postings.delete(term);
      }
      this.termCount -= chunk.length;
    }
    this.chunkCount -= chunks.length;
    this.items.delete(id);
    return chunks.length;
  }

  insert(record: KnowledgeItemRecord): void {
    const item: KnowledgeItemRecord = { ...record, metadata: structuredClone(record.metadata), chunks: [] };
    const chunks = record.chunks.map((chunk): StoredChunk => {
      const frequencies = new Map<string, number>();
      for (const term of chunk.terms) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
      return {
        item,
        index: chunk.index,
        text: chunk.text,
        tokens: { ...chunk.tokens },
        frequencies,
        length: chunk.terms.length,
        embedding: Float32Array.from(chunk.embedding),
        zero: chunk.embedding.every((value) => value === 0),
      };
    });
    for (const chunk of chunks) {
      for (const term of chunk.frequencies.keys()) {
        let holders = this.postings.get(term);
        if (holders === undefined) {
          holders = new Set();
          this.postings.set(term, holders);
        }
        holders.add(chunk);
      }
      this.termCount += chunk.length;
    }
    this.chunkCount += chunks.length;
    this.items.set(record.id, chunks);
  }
}

function toHit(chunk: StoredChunk, score: number): KnowledgeHit {
  const { item } = chunk;
  return {
    itemId: item.id,
    chunkIndex: chunk.index,
    text: chunk.text,
    tokens: { ...chunk.tokens },
    metadata: structuredClone(item.metadata),
    milestone: item.milestone,
    createdAt: item.createdAt,
    score,
  };
}

function byScore(left: { chunk: StoredChunk; score: number }, right: { chunk: StoredChunk; score: number }): number {
  if (left.score !== right.score) return right.score - left.score;
  if (left.chunk.item.id !== right.chunk.item.id) return left.chunk.item.id < right.chunk.item.id ? -1 : 1;
  return left.chunk.index - right.chunk.index;
}

/** Knowledge in this process: an exact BM25 over an inverted index and an exact cosine scan. */
export class MemoryKnowledgeStore implements KnowledgeStore {
  readonly #tenants = new Map<string, TenantKnowledge>();
  readonly #tenantExists: (tenantId: string) => boolean;

  constructor(tenantExists: (tenantId: string) => boolean) {
    this.#tenantExists = tenantExists;
  }

  async put(tenantId: string, items: readonly KnowledgeItemRecord[]): Promise<{ generation: number }> {
    const knowledge = this.#writable(tenantId);
    for (const item of items) {
      knowledge.delete(item.id);
      knowledge.insert(item);
    }
    knowledge.generation += 1;
    return { generation: knowledge.generation };
  }

  async remove(tenantId: string, id: string): Promise<{ removed: number; generation: number }> {
    const knowledge = this.#writable(tenantId);
    const removed = knowledge.delete(id);
    if (removed > 0) knowledge.generation += 1;
    return { removed, generation: knowledge.generation };
  }

  async lexicalSearch(tenantId: string, query: LexicalQuery): Promise<KnowledgeHit[]> {
    const knowledge = this.#tenants.get(tenantId);
    if (knowledge === undefined || knowledge.chunkCount === 0) return [];
    const total = knowledge.chunkCount;
    const averageLength = knowledge.termCount / total || 1;
    const scores = new Map<StoredChunk, number>();
    let upperBound = 0;
    for (const term of new Set(query.terms)) {
      const holders = knowledge.postings.get(term);
      if (holders === undefined) continue;
      const idf = Math.log(1 + (total - holders.size + 0.5) / (holders.size + 0.5));
      upperBound += idf * (BM25.k1 + 1);
      for (const chunk of holders) {
        const frequency = chunk.frequencies.get(term) ?? 0;
        const norm = 1 - BM25.b + (BM25.b * chunk.length) / averageLength;
        const part = (idf * frequency * (BM25.k1 + 1)) / (frequency + BM25.k1 * norm);
        scores.set(chunk, (scores.get(chunk) ?? 0) + part);
      }
    }
    const ranked = [...scores]
      .filter(([chunk]) => matchesKnowledgeFilter(chunk.item, query.filter))
      .map(([chunk, raw]) => ({ chunk, score: raw / upperBound }));
    return ranked
      .sort(byScore)
      .slice(0, query.limit)
      .map(({ chunk, score }) => toHit(chunk, score));
  }

  async vectorSearch(tenantId: string, query: VectorQuery): Promise<KnowledgeHit[]> {
    const knowledge = this.#tenants.get(tenantId);
    if (knowledge === undefined) return [];
    const ranked: { chunk: StoredChunk; score: number }[] = [];
    for (const chunks of knowledge.items.values()) {
      for (const chunk of chunks) {
        if (chunk.item.embedder !== query.embedder || chunk.zero || !matchesKnowledgeFilter(chunk.item, query.filter)) continue;
        let score = 0;
        for (let index = 0; index < chunk.embedding.length; index += 1) {
          score += (chunk.embedding[index] ?? 0) * (query.embedding[index] ?? 0);
        }
        ranked.push({ chunk, score });
      }
    }
    return ranked
      .sort(byScore)
      .slice(0, query.limit)
      .map(({ chunk, score }) => toHit(chunk, score));
  }

  async generation(tenantId: string): Promise<number> {
    return this.#tenants.get(tenantId)?.generation ?? 0;
  }

  async stats(tenantId: string): Promise<KnowledgeStats> {
    const knowledge = this.#tenants.get(tenantId);
    return { items: knowledge?.items.size ?? 0, chunks: knowledge?.chunkCount ?? 0, generation: knowledge?.generation ?? 0 };
  }

  #writable(tenantId: string): TenantKnowledge {
    if (!this.#tenantExists(tenantId)) throw tenantNotFoundError(tenantId);
    let knowledge = this.#tenants.get(tenantId);
    if (knowledge === undefined) {
      knowledge = new TenantKnowledge();
      this.#tenants.set(tenantId, knowledge);
    }
    return knowledge;
  }
}
