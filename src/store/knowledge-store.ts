import type { JsonObject } from '../core/json.js';
import type { TokenCounts } from '../core/token-counts.js';

/** One chunk of a knowledge item, prepared by the service (terms, tokens and embedding computed once). */
export interface KnowledgeChunkRecord {
  /** 0, 1, 2 … in text order. */
  index: number;
  text: string;
  /** Tokens of `text` in every encoding, counted once at write. */
  tokens: TokenCounts;
  /** Normalised lexical terms of `text`, in order (repeats kept: they are term frequencies). */
  terms: readonly string[];
  /** L2-normalised. */
  embedding: Float32Array;
}

/** A knowledge item as stored: replaced as a whole when written again. */
export interface KnowledgeItemRecord {
  id: string;
  metadata: JsonObject;
  milestone: string | null;
  /** Canonical ISO-8601 (`toISOString`). */
  createdAt: string;
  /** Which embedder made the embeddings (`name:dimensions`); a vector search only compares like with like. */
  embedder: string;
  chunks: readonly KnowledgeChunkRecord[];
}

export interface KnowledgeItemSummary {
  id: string;
  chunks: number;
  tokens: number;
}

/** A scalar a filter compares a field with. */
export type KnowledgeScalar = string | number | boolean;

/** The field a clause reads: a top-level metadata key, or the item's milestone or creation time. */
export type KnowledgeField = { kind: 'metadata'; key: string } | { kind: 'milestone' } | { kind: 'createdAt' };

export type KnowledgeRangeOperator = 'gt' | 'gte' | 'lt' | 'lte';

/**
 * One normalised filter clause (all clauses must hold). Date ranges compare instants: the metadata value must be
 * an ISO-8601 date or date-time string; `epochMs` is the bound.
 */
export type KnowledgeFilterClause =
  | { field: KnowledgeField; op: 'eq'; value: KnowledgeScalar }
  | { field: KnowledgeField; op: 'in'; values: readonly KnowledgeScalar[] }
  | { field: KnowledgeField; op: KnowledgeRangeOperator; type: 'number'; value: number }
  | { field: KnowledgeField; op: KnowledgeRangeOperator; type: 'date'; epochMs: number; iso: string };

export interface KnowledgeHit {
  itemId: string;
  chunkIndex: number;
  text: string;
  tokens: TokenCounts;
  metadata: JsonObject;
  milestone: string | null;
  createdAt: string;
  /**
   * Lexical: BM25 (k1 1.2, b 0.75, tenant-local statistics) divided by the query's upper bound, in [0, 1].
   * Vector: cosine similarity.
   */
  score: number;
}

/**
 * A ranked chunk before its text and metadata are read (see `KnowledgeStore.lexicalRefs`): what ranking and fusion
 * need. `key` is the store's own handle on the chunk, for `hitsOf`.
 */
export interface KnowledgeRef {
  itemId: string;
  chunkIndex: number;
  score: number;
  key: number;
}

export interface LexicalQuery {
  /** Normalised terms; a chunk matches when it has any of them. */
  terms: readonly string[];
  limit: number;
  filter: readonly KnowledgeFilterClause[];
}

export interface VectorQuery {
  embedding: Float32Array;
  embedder: string;
  limit: number;
  filter: readonly KnowledgeFilterClause[];
  /**
   * The caller reads only the order of the results (hybrid fusion ranks), not their cosine: an approximate index may
   * answer with its own distances instead of re-ranking its candidates by the exact vectors.
   */
  rankOnly?: boolean | undefined;
}

export interface KnowledgeStats {
  items: number;
  chunks: number;
  generation: number;
}

/**
 * Knowledge items with their chunks, a lexical index and embeddings. Every method is scoped to one tenant; a
 * write to a tenant that does not exist fails with NotFoundError `tenant_not_found`. Each write bumps the
 * tenant's generation exactly once, in the same transaction.
 */
export interface KnowledgeStore {
  /** Inserts or replaces (by id) every item, atomically; returns the new generation. */
  put(tenantId: string, items: readonly KnowledgeItemRecord[]): Promise<{ generation: number }>;
  /** Removes an item; `removed` is its chunk count, 0 (and no generation change) when it did not exist. */
  remove(tenantId: string, id: string): Promise<{ removed: number; generation: number }>;
  /** Best chunks by lexical score, highest first (ties by item id, then chunk index). */
  lexicalSearch(tenantId: string, query: LexicalQuery): Promise<KnowledgeHit[]>;
  /**
   * Nearest chunks by cosine similarity among those made by `embedder`, highest first: exact, or from an approximate
   * index whose candidates are re-ranked exactly (large SQLite tenants, pgvector HNSW). A chunk whose
   * embedding is the zero vector (a text without features) never matches.
   */
  vectorSearch(tenantId: string, query: VectorQuery): Promise<KnowledgeHit[]>;
  /**
   * Optional two-phase reads, for searches that rank more chunks than they return (hybrid fusion): the same ranking as
   * `lexicalSearch` / `vectorSearch` without reading texts and metadata, then `hitsOf` for the few that are kept.
   */
  lexicalRefs?(tenantId: string, query: LexicalQuery): Promise<KnowledgeRef[]>;
  vectorRefs?(tenantId: string, query: VectorQuery): Promise<KnowledgeRef[]>;
  /** The hits of refs from this store, in their order and with their scores; a chunk removed since is skipped. */
  hitsOf?(tenantId: string, refs: readonly KnowledgeRef[]): Promise<KnowledgeHit[]>;
  /** 0 for a tenant that never had knowledge. */
  generation(tenantId: string): Promise<number>;
  stats(tenantId: string): Promise<KnowledgeStats>;
  /**
   * Resolves once the tenant's approximate vector index (SQLite: HNSW files beside the database) is built or loaded;
   * until then vector searches are exact scans. Absent or immediate where there is no such index.
   */
  prepare?(tenantId: string): Promise<void>;
}

/** BM25 parameters every backend uses. */
export const BM25 = Object.freeze({ k1: 1.2, b: 0.75 });

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:[Tt]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:\d{2}))?$/;

/** Epoch milliseconds of an ISO-8601 date (`2025-01-31`, UTC) or date-time with a zone; undefined otherwise. */
export function parseIsoInstant(value: string): number | undefined {
  if (!ISO_INSTANT.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/** The metadata values that are ISO-8601 dates, as epoch milliseconds: what date-range filters compare. */
export function dateIndexOf(metadata: JsonObject): Record<string, number> {
  const index: Record<string, number> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') continue;
    const time = parseIsoInstant(value);
    if (time !== undefined) index[key] = time;
  }
  return index;
}
