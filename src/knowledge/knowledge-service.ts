import type { JsonObject } from '../core/json.js';
import type { TokenCounts } from '../core/token-counts.js';
import type { KnowledgeItemSummary } from '../store/knowledge-store.js';

/** How a search ranks: BM25 over words, cosine over embeddings, or both fused by reciprocal rank. */
export type KnowledgeSearchMode = 'hybrid' | 'lexical' | 'vector';

/** A scalar a metadata filter compares with. */
export type KnowledgeFilterScalar = string | number | boolean;

/**
 * One field's condition: a scalar (equality) or an object of operators. Ranges take numbers, or ISO-8601 dates
 * (compared as instants); `in` takes up to 100 scalars. Operators combine with AND.
 */
export type KnowledgeFilterCondition =
  | KnowledgeFilterScalar
  | {
      eq?: KnowledgeFilterScalar | undefined;
      in?: readonly KnowledgeFilterScalar[] | undefined;
      gt?: number | string | undefined;
      gte?: number | string | undefined;
      lt?: number | string | undefined;
      lte?: number | string | undefined;
    };

/**
 * Conditions on an item's metadata keys (top level), combined with AND. Two keys name the item's own fields
 * instead: `milestone` and `createdAt`.
 */
export type KnowledgeFilter = Readonly<Record<string, KnowledgeFilterCondition>>;

/** An item to add. Long texts are cut into overlapping chunks; an existing id is replaced as a whole. */
export interface KnowledgeItemInput {
  /** 1–200 printable characters; generated (`kn_…`) when absent. */
  id?: string | undefined;
  text: string;
  metadata?: JsonObject | undefined;
  /** The journey milestone the item belongs to (seed 002 filters knowledge by milestone). */
  milestone?: string | undefined;
  /** ISO-8601; defaults to now. Recency weighting reads it. */
  createdAt?: string | undefined;
}

export interface KnowledgeAddResult {
  items: KnowledgeItemSummary[];
  /** The tenant's knowledge generation after this write. */
  generation: number;
}

export interface KnowledgeRemoveResult {
  id: string;
  /** Chunks removed with it. */
  removed: number;
  generation: number;
}

export interface KnowledgeSearchInput {
  query: string;
  /** Most results (default from config, 10). */
  topK?: number | undefined;
  /** Least score a result needs (default from config). See docs/knowledge.md for each mode's scale. */
  threshold?: number | undefined;
  filter?: KnowledgeFilter | undefined;
  mode?: KnowledgeSearchMode | undefined;
}

export interface KnowledgeSearchResult {
  /** The item id. */
  id: string;
  /** The chunk that matched (`<id>#<n>`); several chunks of one item may match. */
  chunkId?: string | undefined;
  text: string;
  /** In [0, 1]: lexical = BM25 over its query's upper bound, vector = cosine, hybrid = normalised RRF. */
  score: number;
  metadata: JsonObject;
  /** Tokens of `text` in o200k_base, counted once at write (= `tokenCounts.o200k_base`). */
  tokens: number;
  /** Tokens of `text` in every encoding, counted once at write: the assembler reads its model's. */
  tokenCounts: TokenCounts;
  createdAt: string;
  milestone?: string | undefined;
}

export interface KnowledgeSearchResponse {
  results: KnowledgeSearchResult[];
}

/** The knowledge layer (seed 002): searchable items, always inside one tenant. */
export interface KnowledgeService {
  /** Adds or replaces items atomically (all or none); NotFoundError when the tenant does not exist. */
  add(tenantId: string, items: readonly KnowledgeItemInput[]): Promise<KnowledgeAddResult>;
  /** Removes an item and its chunks; NotFoundError `knowledge_item_not_found` when it does not exist. */
  remove(tenantId: string, id: string): Promise<KnowledgeRemoveResult>;
  search(tenantId: string, input: KnowledgeSearchInput): Promise<KnowledgeSearchResponse>;
  /** A number that changes on every add or remove in the tenant (cache keys include it). */
  generation(tenantId: string): Promise<number>;
  /**
   * Resolves once the tenant's approximate vector index is ready (SQLite builds or loads it in the background;
   * vector searches are exact scans until then). Useful after a bulk load or at start-up; never needed for correctness.
   */
  prepare(tenantId: string): Promise<void>;
}
