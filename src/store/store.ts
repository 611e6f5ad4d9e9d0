import type { ApiKeyStore } from './api-key-store.js';
import type { ContextStore } from './context-store.js';
import type { IdempotencyStore } from './idempotency-store.js';
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
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
