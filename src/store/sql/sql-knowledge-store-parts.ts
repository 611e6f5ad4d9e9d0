import type { StoreBackendName } from '../store.js';
import { createPostgresKnowledgeParts } from './postgres/knowledge-postgres.js';
import type { KnowledgeSqlParts } from './sql-knowledge-store-dialect.js';
import { sqliteKnowledgeParts } from './sqlite/knowledge-sqlite.js';

/** The knowledge parts of a SQL dialect (fresh per store: PostgreSQL's remember the embedding column's type). */
export function knowledgePartsFor(backend: Exclude<StoreBackendName, 'memory'>): KnowledgeSqlParts {
  return backend === 'postgres' ? createPostgresKnowledgeParts() : sqliteKnowledgeParts;
}
