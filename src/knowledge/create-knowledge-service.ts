import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError } from '../core/errors.js';
import type {
  KnowledgeFilterClause,
  KnowledgeHit,
  KnowledgeItemRecord,
  KnowledgeRef,
  KnowledgeStore,
} from '../store/knowledge-store.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { parseWith } from '../validation/parse.js';
import { tenantIdSchema } from '../validation/schemas.js';
import { chunkText } from './chunk-text.js';
import { countKnowledgeTokens, countKnowledgeTokensAll } from './count-tokens.js';
import type { Embedder } from './embedder.js';
import { fuseByReciprocalRank } from './fuse-results.js';
import type { KnowledgeConfig } from './knowledge-config.js';
import { normalizeKnowledgeFilter } from './knowledge-filter.js';
import { knowledgeItemIdSchema, knowledgeItemInputSchema, knowledgeSearchInputSchema } from './knowledge-schemas.js';
import type { KnowledgeSearchResult, KnowledgeService } from './knowledge-service.js';
import { queryTerms, textTerms } from './text-terms.js';

export interface KnowledgeServiceOptions {
  store: KnowledgeStore;
  tenants: TenantService;
  embedder: Embedder;
  config: KnowledgeConfig;
}

function toResult(hit: KnowledgeHit): KnowledgeSearchResult {
  return {
    id: hit.itemId,
    chunkId: `${hit.itemId}#${hit.chunkIndex}`,
    text: hit.text,
    score: hit.score,
    metadata: hit.metadata,
    tokens: hit.tokens.o200k_base,
    tokenCounts: hit.tokens,
    createdAt: hit.createdAt,
    ...(hit.milestone === null ? {} : { milestone: hit.milestone }),
  };
}

/** The threshold, then topK, over a ranked list. */
type Keep = <Hit extends { score: number }>(hits: Hit[]) => Hit[];

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function isZero(vector: Float32Array): boolean {
  return vector.every((value) => value === 0);
}

/** The knowledge layer over a KnowledgeStore: validation, chunking, token counts, embeddings, retrieval and fusion. */
export function createKnowledgeService({ store, tenants, embedder, config }: KnowledgeServiceOptions): KnowledgeService {
  async function scope(tenantId: string): Promise<void> {
    parseWith(tenantIdSchema, tenantId, 'tenant id');
    await tenants.require(tenantId);
  }

  async function queryEmbedding(query: string): Promise<Float32Array | undefined> {
    const [embedding] = await embedder.embed([query]);
    return embedding === undefined || isZero(embedding) ? undefined : embedding;
  }

  async function vectorHits(tenantId: string, query: string, limit: number, filter: readonly KnowledgeFilterClause[]) {
    const embedding = await queryEmbedding(query);
    if (embedding === undefined) return [];
    return store.vectorSearch(tenantId, { embedding, embedder: embedder.id, limit, filter });
  }

  /**
   * Reciprocal rank fusion of the lexical and vector lists, then the threshold and topK. A store with two-phase reads
   * ranks both lists by ids alone and reads the rows of the kept chunks only.
   */
  async function hybridHits(
    tenantId: string,
    query: string,
    depth: number,
    keep: Keep,
    filter: readonly KnowledgeFilterClause[],
  ): Promise<KnowledgeHit[]> {
    const { lexicalRefs, vectorRefs, hitsOf } = store;
    if (lexicalRefs === undefined || vectorRefs === undefined || hitsOf === undefined) {
      const [lexical, vector] = await Promise.all([
        store.lexicalSearch(tenantId, { terms: queryTerms(query), limit: depth, filter }),
        vectorHits(tenantId, query, depth, filter),
      ]);
      return keep(fuseByReciprocalRank([lexical, vector]));
    }
    // The vector list is asked for first and the lexical ranking waits for the next turn of the event loop: a store
    // whose vector index runs on another thread (SQLite's HNSW worker) has posted the request by then, so the graph
    // search and the lexical ranking (main-thread CPU) run at the same time instead of one after the other.
    const vector = queryEmbedding(query).then((embedding) =>
      embedding === undefined
        ? []
        : vectorRefs.call(store, tenantId, { embedding, embedder: embedder.id, limit: depth, filter, rankOnly: true }),
    );
    const lexical = nextTurn().then(() => lexicalRefs.call(store, tenantId, { terms: queryTerms(query), limit: depth, filter }));
    const [lexicalList, vectorList] = await Promise.all([lexical, vector]);
    return hitsOf.call(store, tenantId, keep(fuseByReciprocalRank<KnowledgeRef>([lexicalList, vectorList])));
  }

  return {
    async add(tenantId, items) {
      if (!Array.isArray(items) || items.length === 0)
        throw new ValidationError('Invalid knowledge items: at least one item is needed.');
      if (items.length > config.maxItemsPerRequest) {
        throw new ValidationError(
          `Invalid knowledge items: at most ${config.maxItemsPerRequest} per request, got ${items.length}.`,
        );
      }
      const parsed = items.map((item, index) => parseWith(knowledgeItemInputSchema, item, `knowledge item ${index}`));
      await scope(tenantId);
      const prepared = parsed.map((item) => ({
        item,
        id: item.id ?? `kn_${randomUUID()}`,
        chunks: chunkText(item.text, config.chunk, countKnowledgeTokens),
      }));
      const embeddings = await embedder.embed(prepared.flatMap(({ chunks }) => chunks.map((chunk) => chunk.text)));
      let next = 0;
      const now = new Date().toISOString();
      const records: KnowledgeItemRecord[] = prepared.map(({ item, id, chunks }) => ({
        id,
        metadata: item.metadata ?? {},
        milestone: item.milestone ?? null,
        createdAt: item.createdAt === undefined ? now : new Date(item.createdAt).toISOString(),
        embedder: embedder.id,
        chunks: chunks.map((chunk, index) => {
          const embedding = embeddings[next];
          next += 1;
          if (embedding === undefined) throw new Error('The embedder returned fewer vectors than texts.');
          const tokens = { ...countKnowledgeTokensAll(chunk.text), o200k_base: chunk.tokens };
          return { index, text: chunk.text, tokens, terms: textTerms(chunk.text), embedding };
        }),
      }));
      const { generation } = await store.put(tenantId, records);
      return {
        items: records.map((record) => ({
          id: record.id,
          chunks: record.chunks.length,
          tokens: record.chunks.reduce((sum, chunk) => sum + chunk.tokens.o200k_base, 0),
        })),
        generation,
      };
    },

    async remove(tenantId, id) {
      parseWith(knowledgeItemIdSchema, id, 'knowledge item id');
      await scope(tenantId);
      const { removed, generation } = await store.remove(tenantId, id);
      if (removed === 0) {
        throw new NotFoundError(`Knowledge item "${id}" does not exist.`, { code: 'knowledge_item_not_found', details: { id } });
      }
      return { id, removed, generation };
    },

    async search(tenantId, input) {
      const parsed = parseWith(knowledgeSearchInputSchema, input, 'knowledge search');
      const filter = normalizeKnowledgeFilter(parsed.filter);
      await scope(tenantId);
      const mode = parsed.mode ?? config.search.mode;
      const topK = parsed.topK ?? config.search.topK;
      const threshold = parsed.threshold ?? config.search.threshold;
      const depth = Math.max(topK, config.search.candidates);
      const keep: Keep = (hits) => hits.filter((hit) => hit.score >= threshold).slice(0, topK);
      let hits: KnowledgeHit[];
      if (mode === 'lexical') {
        hits = keep(await store.lexicalSearch(tenantId, { terms: queryTerms(parsed.query), limit: topK, filter }));
      } else if (mode === 'vector') {
        hits = keep(await vectorHits(tenantId, parsed.query, topK, filter));
      } else {
        hits = await hybridHits(tenantId, parsed.query, depth, keep, filter);
      }
      return { results: hits.map(toResult) };
    },

    async generation(tenantId) {
      await scope(tenantId);
      return store.generation(tenantId);
    },

    async prepare(tenantId) {
      await scope(tenantId);
      await store.prepare?.(tenantId);
    },
  };
}
