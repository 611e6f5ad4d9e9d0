import type { ApiKeyStore } from './api-key-store.js';
import type { AssemblyStore } from './assembly-store.js';
import type { ContextStore } from './context-store.js';
import type { EventContextStore } from './event-context-store.js';
import type { IdempotencyStore } from './idempotency-store.js';
import type { InjectionRuleStore } from './injection-rule-store.js';
import type { JourneyStore } from './journey-store.js';
import type { KnowledgeStore } from './knowledge-store.js';
import type { RunStore } from './run-store.js';
import type { SessionStore } from './session-store.js';
import type { TenantStore } from './tenant-store.js';

export type StoreBackendName = 'memory' | 'sqlite' | 'postgres';

export interface StoreHealth {
  ok: boolean;
  backend: StoreBackendName;
  detail?: string | undefined;
}

/** Everything persistent, from one backend. */
export interface Store {
  readonly backend: StoreBackendName;
  readonly tenants: TenantStore;
  readonly contexts: ContextStore;
  readonly apiKeys: ApiKeyStore;
  readonly idempotency: IdempotencyStore;
  /** The cold tier of event contexts (seed 004). */
  readonly eventContexts: EventContextStore;
  readonly runs: RunStore;
  /** The session layer (seed 002); with Redis configured the engine keeps sessions there instead. */
  readonly sessions: SessionStore;
  readonly journeys: JourneyStore;
  /** The knowledge layer (seed 002): chunks, lexical index, embeddings. */
  readonly knowledge: KnowledgeStore;
  readonly assemblies: AssemblyStore;
  /** Injection rules per tenant (seed 003). */
  readonly injectionRules: InjectionRuleStore;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
