import type { ApiKeyRecord } from '../../core/api-key.js';
import type { ApiKeyStore } from '../api-key-store.js';
import { apiKeyExistsError, tenantNotFoundError } from '../store-errors.js';
import { compareStrings } from './memory-tenant-store.js';

/** API keys in a Map. A key's tenant must exist, as the SQL foreign key demands. */
export class MemoryApiKeyStore implements ApiKeyStore {
  readonly #keys = new Map<string, ApiKeyRecord>();
  readonly #tenantExists: (tenantId: string) => boolean;

  constructor(tenantExists: (tenantId: string) => boolean) {
    this.#tenantExists = tenantExists;
  }

  async create(record: ApiKeyRecord): Promise<ApiKeyRecord> {
    if (this.#keys.has(record.id)) throw apiKeyExistsError(record.id);
    if (record.tenantId !== null && !this.#tenantExists(record.tenantId)) throw tenantNotFoundError(record.tenantId);
    this.#keys.set(record.id, structuredClone(record));
    return structuredClone(record);
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const record = this.#keys.get(id);
    return record === undefined ? undefined : structuredClone(record);
  }

  async list(tenantId?: string): Promise<ApiKeyRecord[]> {
    return [...this.#keys.values()]
      .filter((record) => tenantId === undefined || record.tenantId === tenantId)
      .sort((left, right) => compareStrings(left.id, right.id))
      .map((record) => structuredClone(record));
  }

  async delete(id: string): Promise<boolean> {
    return this.#keys.delete(id);
  }

  async count(): Promise<number> {
    return this.#keys.size;
  }
}
