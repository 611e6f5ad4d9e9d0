export type { Embedder } from './embedder.js';
export { createHashedEmbedder, type HashedEmbedderOptions } from './hashed-embedder.js';
export type { KnowledgeConfig } from './knowledge-config.js';
export type {
  KnowledgeAddResult,
  KnowledgeFilter,
  KnowledgeFilterCondition,
  KnowledgeFilterScalar,
  KnowledgeItemInput,
  KnowledgeRemoveResult,
  KnowledgeSearchInput,
  KnowledgeSearchMode,
  KnowledgeSearchResponse,
  KnowledgeSearchResult,
  KnowledgeService,
} from './knowledge-service.js';
export { createOpenAiEmbedder, type OpenAiEmbedderOptions } from './openai-embedder.js';
