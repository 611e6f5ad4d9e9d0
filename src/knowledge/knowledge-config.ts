import { z } from 'zod';
import { ValidationError } from '../core/errors.js';

const hashedEmbedderSchema = z
  .object({ kind: z.literal('hashed'), dimensions: z.number().int().min(16).max(4096).default(384) })
  .strict();

/** Any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, Ollama, vLLM, TEI). The key is never logged. */
const openAiEmbedderSchema = z
  .object({
    kind: z.literal('openai'),
    /** e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1 (`/embeddings` is appended). */
    baseUrl: z.url(),
    model: z.string().min(1).max(200),
    /** Prefer CTX_EMBEDDINGS_API_KEY in the environment over a key in a config file. */
    apiKey: z.string().min(1).optional(),
    /** Ask the API for this many dimensions (models that support it); otherwise the model's own. */
    dimensions: z.number().int().min(1).max(16_384).optional(),
    batchSize: z.number().int().min(1).max(2048).default(64),
    timeoutMs: z.number().int().min(100).default(30_000),
    maxAttempts: z.number().int().min(1).max(10).default(3),
  })
  .strict();

/** The `knowledge` section of the engine configuration. */
export const knowledgeConfigSchema = z
  .object({
    embedder: z
      .discriminatedUnion('kind', [hashedEmbedderSchema, openAiEmbedderSchema])
      .default({ kind: 'hashed', dimensions: 384 }),
    /** Texts longer than `maxTokens` are cut into chunks overlapping by `overlapTokens`. */
    chunk: z
      .object({ maxTokens: z.number().int().min(16).max(8192).default(256), overlapTokens: z.number().int().min(0).default(32) })
      .strict()
      .refine((chunk) => chunk.overlapTokens < chunk.maxTokens, 'overlapTokens must be below maxTokens')
      .prefault({}),
    /** Search defaults: results, least score, mode, and how deep each list goes before fusion. */
    search: z
      .object({
        topK: z.number().int().min(1).max(200).default(10),
        threshold: z.number().min(0).max(1).default(0),
        mode: z.enum(['hybrid', 'lexical', 'vector']).default('hybrid'),
        candidates: z.number().int().min(1).max(1000).default(50),
      })
      .strict()
      .prefault({}),
    /** Most items one add accepts. */
    maxItemsPerRequest: z.number().int().min(1).max(100_000).default(1000),
  })
  .strict();

export type KnowledgeConfig = z.output<typeof knowledgeConfigSchema>;

type Env = Record<string, string | undefined>;

function positiveInteger(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new ValidationError(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return value;
}

/**
 * `CTX_EMBEDDINGS_URL` (+ `CTX_EMBEDDINGS_MODEL`, `CTX_EMBEDDINGS_DIMENSIONS`) selects an OpenAI-compatible
 * embedder; its key comes from `CTX_EMBEDDINGS_API_KEY` when the embedder is created, never from the config object.
 */
export function knowledgeConfigFromEnv(env: Env): Record<string, unknown> | undefined {
  const baseUrl = env.CTX_EMBEDDINGS_URL;
  if (baseUrl === undefined || baseUrl === '') return undefined;
  const dimensions = positiveInteger(env, 'CTX_EMBEDDINGS_DIMENSIONS');
  return {
    embedder: {
      kind: 'openai',
      baseUrl,
      model: env.CTX_EMBEDDINGS_MODEL ?? 'text-embedding-3-small',
      ...(dimensions === undefined ? {} : { dimensions }),
    },
  };
}
