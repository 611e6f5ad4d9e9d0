import type { Store, StoreHealth } from '../store.js';
import { ChangeWatcher } from './change-watcher.js';
import { SqlApiKeyStore } from './sql-api-key-store.js';
import { SqlAssemblyStore } from './sql-assembly-store.js';
import { SqlContextStore } from './sql-context-store.js';
import { SqlEventContextStore } from './sql-event-context-store.js';
import type { SqlDatabase } from './sql-executor.js';
import { SqlIdempotencyStore } from './sql-idempotency-store.js';
import { SqlInjectionRuleStore } from './sql-injection-rule-store.js';
import { SqlJourneyStore } from './sql-journey-store.js';
import { SqlKnowledgeStore } from './sql-knowledge-store.js';
import type { KnowledgeSqlParts } from './sql-knowledge-store-dialect.js';
import { SqlRunStore } from './sql-run-store.js';
import { SqlSessionStore } from './sql-session-store.js';
import { SqlTenantStore, type TenantRow } from './sql-tenant-store.js';
import { TenantReadCache } from './tenant-read-cache.js';
import { VersionReadCache } from './version-read-cache.js';
import { WriteQueue } from './write-queue.js';

export interface SqlStoreOptions {
  /** Most writes one group-commit transaction holds. */
  maxBatchSize: number;
  /** Write transactions that may run at once: 1 for SQLite (default); several for PostgreSQL. */
  concurrentTransactions?: number | undefined;
  /** Answer the point reads every write makes (tenant, current version) in one query per event-loop pass. */
  coalesceReads?: boolean | undefined;
  /** The dialect's knowledge parts when they hold state (SQLite's vector index); default: stateless parts. */
  knowledgeParts?: KnowledgeSqlParts | undefined;
}

/** The one SQL store, over any dialect's database (already migrated). Closing it closes the database. */
export function createSqlStore(database: SqlDatabase, options: SqlStoreOptions): Store {
  const watcher = new ChangeWatcher(database.changeToken);
  const cache = new VersionReadCache(watcher);
  const writes = new WriteQueue(database, options.maxBatchSize, () => cache.invalidateCurrent(), options.concurrentTransactions);
  const backend = database.dialect.backend;
  const knowledge = new SqlKnowledgeStore(database, writes, options.knowledgeParts);
  return Object.freeze({
    backend,
    tenants: new SqlTenantStore(database, writes, new TenantReadCache<TenantRow>(watcher), options.coalesceReads),
    contexts: new SqlContextStore(database, writes, cache, options.coalesceReads),
    apiKeys: new SqlApiKeyStore(database, writes),
    idempotency: new SqlIdempotencyStore(database, writes),
    eventContexts: new SqlEventContextStore(database, writes),
    runs: new SqlRunStore(database, writes),
    sessions: new SqlSessionStore(database, writes),
    journeys: new SqlJourneyStore(database, writes),
    knowledge,
    assemblies: new SqlAssemblyStore(database, writes),
    injectionRules: new SqlInjectionRuleStore(database, writes),
    async health(): Promise<StoreHealth> {
      try {
        await database.reader.get('SELECT 1 AS ok');
        return { ok: true, backend };
      } catch (error) {
        return { ok: false, backend, detail: error instanceof Error ? error.message : String(error) };
      }
    },
    async close(): Promise<void> {
      await writes.close();
      await knowledge.close();
      await database.close();
    },
  });
}
