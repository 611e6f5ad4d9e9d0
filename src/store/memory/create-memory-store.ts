import type { Store } from '../store.js';
import { MemoryApiKeyStore } from './memory-api-key-store.js';
import { MemoryContextStore } from './memory-context-store.js';
import { MemoryIdempotencyStore } from './memory-idempotency-store.js';
import { MemoryTenantStore } from './memory-tenant-store.js';

/** A store that lives in this process only: for tests, demos and the library without a database. */
export function createMemoryStore(): Store {
  const tenants = new MemoryTenantStore();
  const tenantExists = (tenantId: string) => tenants.has(tenantId);
  return Object.freeze({
    backend: 'memory' as const,
    tenants,
    contexts: new MemoryContextStore(tenantExists),
    apiKeys: new MemoryApiKeyStore(tenantExists),
    idempotency: new MemoryIdempotencyStore(),
    health: async () => ({ ok: true, backend: 'memory' as const }),
    close: async () => {},
  });
}
