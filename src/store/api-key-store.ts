import type { ApiKeyRecord } from '../core/api-key.js';

/** API keys (hashed secrets only). */
export interface ApiKeyStore {
  create(record: ApiKeyRecord): Promise<ApiKeyRecord>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  /** Keys of one tenant, or all keys when tenantId is undefined; ordered by id. */
  list(tenantId?: string): Promise<ApiKeyRecord[]>;
  /** True when a key existed and was removed. */
  delete(id: string): Promise<boolean>;
  count(): Promise<number>;
}
