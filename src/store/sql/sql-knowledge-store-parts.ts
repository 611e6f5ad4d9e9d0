import type { StoreBackendName } from '../store.js';
import { postgresKnowledgeParts } from './postgres/knowledge-postgres.js';
import type { KnowledgeSqlParts } from './sql-knowledge-store-dialect.js';
import { sqliteKnowledgeParts } from './sqlite/knowledge-sqlite.js';

/** The knowledge parts of a SQL dialect. */
export function knowledgePartsFor(backend: Exclude<StoreBackendName, 'memory'>): KnowledgeSqlParts {
  return backend === 'postgres' ? postgresKnowledgeParts : sqliteKnowledgeParts;
}
