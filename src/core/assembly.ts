import type { JsonObject, JsonValue } from './json.js';
import type { TokenEncoding } from './token-counts.js';

export const ASSEMBLY_LAYERS = ['documents', 'session', 'journey', 'knowledge'] as const;
export type AssemblyLayer = (typeof ASSEMBLY_LAYERS)[number];
/** The layers that share the budget by weight (named documents come first, outside the weights). */
export type WeightedLayer = Exclude<AssemblyLayer, 'documents'>;
export type LayerWeights = Record<WeightedLayer, number>;

/** Why an item is in the assembled text or not. */
export type ManifestReason =
  | 'named_document'
  | 'selected'
  | 'redistributed'
  | 'over_budget'
  | 'over_budget_after_render'
  | 'layer_weight_zero'
  | 'not_found'
  | 'deleted';

/** Every candidate item of an assembly, included or not, and why. */
export interface ManifestEntry {
  layer: AssemblyLayer;
  /** Document key, message id, milestone id or knowledge item id. */
  id: string;
  /** Document version, or journey completion revision. */
  version?: number | undefined;
  /** Tokens this item's rendered block costs (stored counts plus its framing). */
  tokens: number;
  /** Relevance in [0, 1] before recency. */
  score: number;
  recencyWeight: number;
  included: boolean;
  reason: ManifestReason;
  createdAt?: string | undefined;
  /** sha256 of the item's snapshot (session, journey, knowledge): the replay reads it back by this hash. */
  contentHash?: string | undefined;
}

export interface LayerTokens {
  session: number;
  journey: number;
  knowledge: number;
  documents: number;
  /** Tokens of the whole rendered text, framing included (≤ the budget). */
  total: number;
}

/** What gets delivered (the ContextPacket shape of seed 003). */
export interface AssemblyPacket {
  information: {
    documents: Array<{ key: string; version: number; value: JsonValue }>;
    session: Array<{ id: string; role: string; content: string; createdAt: string }>;
    journey: Array<{ milestone: string; revision: number; completedAt: string; keyDecisions: string[]; data: JsonObject }>;
    knowledge: Array<{ id: string; text: string; score: number; metadata: JsonObject; createdAt: string }>;
  };
  strategy: { milestone: string | null; next: string | null; completed: string[]; dependencies: string[] };
  attention: { query: string; focus: string[] };
  metadata: {
    assemblyId: string;
    createdAt: string;
    priority: number;
    criticality: 'critical' | 'important' | 'helpful' | 'optional';
    ttlMs: number;
    conditions: string[];
    source: 'assembler';
    budget: number;
    model: string | null;
    encoding: TokenEncoding;
    /** True when the model's tokenizer is not public and counts are an approximation (see docs/assembly.md). */
    approximate: boolean;
  };
}

/** The request an assembly answered, as recorded. */
export interface AssemblyRequest {
  query: string;
  userId?: string | undefined;
  sessionId?: string | undefined;
  milestone?: string | undefined;
  documents: string[];
  budget: number;
  weights: LayerWeights;
  model?: string | undefined;
}

/** A stored assembly: enough to explain it and to rebuild its exact text. */
export interface AssemblyRecord {
  id: string;
  tenantId: string;
  createdAt: string;
  request: AssemblyRequest;
  encoding: TokenEncoding;
  /** The budget in `encoding` tokens (smaller than `request.budget` for approximated models). */
  effectiveBudget: number;
  tokens: LayerTokens;
  manifest: ManifestEntry[];
  /** The packet without its information (rebuilt from the manifest's references on replay). */
  packet: Omit<AssemblyPacket, 'information'>;
  /** sha256 of the rendered text. */
  textHash: string;
  rendererVersion: number;
  /**
   * The search score of each included knowledge item, by its snapshot's hash: the snapshot holds the chunk alone, so
   * the same chunk is stored once however many queries find it. Absent in records written before (their knowledge
   * snapshots carry the score).
   */
  knowledgeScores?: Record<string, number> | undefined;
}
