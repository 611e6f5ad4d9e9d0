import type { Embedder } from './embedder.js';
import { createHashedEmbedder } from './hashed-embedder.js';
import type { KnowledgeConfig } from './knowledge-config.js';
import { createOpenAiEmbedder } from './openai-embedder.js';

/** The embedder a configuration names; an API key not in the config comes from CTX_EMBEDDINGS_API_KEY. */
export function createEmbedder(
  config: KnowledgeConfig['embedder'],
  env: Record<string, string | undefined> = process.env,
): Embedder {
  if (config.kind === 'hashed') return createHashedEmbedder({ dimensions: config.dimensions });
  const envKey = env.CTX_EMBEDDINGS_API_KEY;
  return createOpenAiEmbedder({ ...config, apiKey: config.apiKey ?? (envKey === '' ? undefined : envKey) });
}
