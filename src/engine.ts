import { type ApiKeyService, createApiKeyService } from './auth/api-key-service.js';
import type { EngineConfig, EngineConfigInput } from './config/engine-config.js';
import { parseConfig } from './config/load-config.js';
import { type ContextService, createContextService } from './contexts/context-service.js';
import { UnsupportedError } from './core/errors.js';
import { createEventBus, type EventBus } from './events/event-bus.js';
import { createMemoryStore } from './store/memory/create-memory-store.js';
import { createPostgresStore } from './store/sql/postgres/create-postgres-store.js';
import { createSqliteStore } from './store/sql/sqlite/create-sqlite-store.js';
import type { Store } from './store/store.js';
import { createTenantService, type TenantService } from './tenants/tenant-service.js';
import { effectivePolicy } from './updates/approval-decision.js';
import { createUpdateService, type UpdateService } from './updates/update-service.js';

/** The library entry point: every service the server and CLI use. */
export interface Engine {
  readonly config: EngineConfig;
  readonly store: Store;
  readonly bus: EventBus;
  readonly tenants: TenantService;
  readonly contexts: ContextService;
  readonly updates: UpdateService;
  readonly apiKeys: ApiKeyService;
  close(): Promise<void>;
}

export interface CreateEngineOptions {
  /** Use this store instead of the one `databaseUrl` names (tests, embedding). */
  store?: Store | undefined;
}

/** Opens the store named by `databaseUrl` (running migrations). Only engine.ts, server/ and cli/ pick backends. */
export async function openStore(config: EngineConfig): Promise<Store> {
  const url = config.databaseUrl;
  if (url === 'memory:') return createMemoryStore();
  if (url.startsWith('sqlite:')) return createSqliteStore({ path: url.slice('sqlite:'.length) });
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return createPostgresStore({ url });
  throw new UnsupportedError(`The database ${url.split(':')[0]} is not supported; use memory:, sqlite:<path> or postgres://…`, {
    code: 'database_unsupported',
  });
}

/** Creates an engine from a configuration (validated with zod; defaults completed). */
export async function createEngine(
  input: EngineConfigInput | EngineConfig = {},
  options: CreateEngineOptions = {},
): Promise<Engine> {
  const config = parseConfig(input);
  const store = options.store ?? (await openStore(config));
  const bus = createEventBus();
  const defaults = effectivePolicy(config.approval);
  const tenants = createTenantService(store.tenants, bus, defaults);
  const updates = createUpdateService({ store: store.contexts, tenants, bus, maxValueBytes: config.limits.maxValueBytes });
  const contexts = createContextService(store.contexts, tenants, updates);
  const apiKeys = createApiKeyService(store.apiKeys, tenants);
  let closed = false;
  return {
    config,
    store,
    bus,
    tenants,
    contexts,
    updates,
    apiKeys,
    async close() {
      if (closed) return;
      closed = true;
      await store.close();
    },
  };
}
