import type { JsonObject } from '../core/json.js';
import type { TokenCounts } from '../core/token-counts.js';

/** A knowledge search result as the assembler reads it (the shape of engine.knowledge's results). */
export interface KnowledgeCandidate {
  id: string;
  chunkId?: string | undefined;
  text: string;
  score: number;
  metadata: JsonObject;
  /** o200k_base tokens of `text`, counted once at write. */
  tokens: number;
  /** Tokens of `text` in every encoding, counted once at write (the assembler reads its model's). */
  tokenCounts?: TokenCounts | undefined;
  createdAt: string;
  milestone?: string | undefined;
}

/** What the assembler needs from the knowledge layer (engine.knowledge satisfies it). */
export interface KnowledgeSource {
  search(
    tenantId: string,
    input: {
      query: string;
      topK?: number | undefined;
      threshold?: number | undefined;
      filter?: Readonly<Record<string, unknown>> | undefined;
      mode?: 'hybrid' | 'lexical' | 'vector' | undefined;
    },
  ): Promise<{ results: KnowledgeCandidate[] }>;
  /** Changes on every knowledge write in the tenant. */
  generation(tenantId: string): Promise<number>;
}
