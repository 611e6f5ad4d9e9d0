import type { Store } from '../store.js';
import { MemoryApiKeyStore } from './memory-api-key-store.js';
import { MemoryAssemblyStore } from './memory-assembly-store.js';
import { MemoryContextStore } from './memory-context-store.js';
import { MemoryEventContextStore } from './memory-event-context-store.js';
import { MemoryIdempotencyStore } from './memory-idempotency-store.js';
import { MemoryInjectionRuleStore } from './memory-injection-rule-store.js';
import { MemoryJourneyStore } from './memory-journey-store.js';
import { MemoryKnowledgeStore } from './memory-knowledge-store.js';
import { MemoryRunStore } from './memory-run-store.js';
import { MemorySessionStore } from './memory-session-store.js';
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
    eventContexts: new MemoryEventContextStore(),
    runs: new MemoryRunStore(tenantExists),
    sessions: new MemorySessionStore(tenantExists),
    journeys: new MemoryJourneyStore(tenantExists),
    knowledge: new MemoryKnowledgeStore(tenantExists),
    assemblies: new MemoryAssemblyStore(tenantExists),
    injectionRules: new MemoryInjectionRuleStore(tenantExists),
    health: async () => ({ ok: true, backend: 'memory' as const }),
    close: async () => {},
  });
}
