import fastJsonPatch from 'fast-json-patch';
import type { ContextKeySummary, ContextStats, ContextVersion } from '../core/context-version.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import type { Page, PageRequest } from '../core/page.js';
import type { UpdateSource } from '../core/update-source.js';
import type { ContextStore } from '../store/context-store.js';
import type { TenantService } from '../tenants/tenant-service.js';
import type { ProposeResult, UpdateService } from '../updates/update-service.js';
import { parseWith } from '../validation/parse.js';
import { contextKeySchema, isoTimestampSchema, tenantIdSchema, versionNumberSchema } from '../validation/schemas.js';

export interface ReadOptions {
  version?: number | undefined;
  /** ISO-8601: the version current at that time. */
  asOf?: string | undefined;
}

/** Who writes, and why, for the write shortcuts. */
export interface WriteOptions {
  source?: UpdateSource | undefined;
  author?: string | undefined;
  confidence?: number | undefined;
  comment?: string | undefined;
  /** Strict precondition: the current version must be this (null: must not exist). */
  expectedVersion?: number | null | undefined;
}

export interface ContextDiff {
  from: number;
  to: number;
  /** RFC 6902 JSON Patch turning version `from` into version `to`. */
  patch: fastJsonPatch.Operation[];
}

/** Reading versioned context documents, plus write shortcuts over the governed write path. */
export interface ContextService {
  get(tenantId: string, key: string, options?: ReadOptions): Promise<ContextVersion>;
  list(tenantId: string, page?: PageRequest & { prefix?: string | undefined }): Promise<Page<ContextKeySummary>>;
  history(tenantId: string, key: string, page?: PageRequest): Promise<Page<ContextVersion>>;
  diff(tenantId: string, key: string, from: number, to: number): Promise<ContextDiff>;
  put(tenantId: string, key: string, value: JsonValue, options?: WriteOptions): Promise<ProposeResult>;
  patch(tenantId: string, key: string, patch: JsonValue, options?: WriteOptions): Promise<ProposeResult>;
  delete(tenantId: string, key: string, options?: WriteOptions): Promise<ProposeResult>;
  rollback(tenantId: string, key: string, toVersion: number, options?: WriteOptions): Promise<ProposeResult>;
  status(tenantId: string): Promise<ContextStats>;
}

function notFound(key: string, detail = 'does not exist'): NotFoundError {
  return new NotFoundError(`${key} ${detail}`, { code: 'context_not_found' });
}

export function createContextService(store: ContextStore, tenants: TenantService, updates: UpdateService): ContextService {
  async function scope(tenantId: string, key?: string): Promise<void> {
    parseWith(tenantIdSchema, tenantId, 'tenant id');
    if (key !== undefined) parseWith(contextKeySchema, key, 'context key');
    await tenants.require(tenantId);
  }

  async function readVersion(tenantId: string, key: string, version: number): Promise<ContextVersion> {
    const found = await store.getVersion(tenantId, key, version);
    if (!found) throw new NotFoundError(`Version ${version} of ${key} does not exist`, { code: 'version_not_found' });
    return found;
  }

  function write(tenantId: string, key: string, options: WriteOptions, change: Record<string, unknown>) {
    return updates.propose({ tenantId, key, ...options, ...change } as Parameters<UpdateService['propose']>[0]);
  }

  return {
    async get(tenantId, key, options = {}) {
      await scope(tenantId, key);
      if (options.version !== undefined && options.asOf !== undefined) {
        throw new ValidationError('Pass either version or asOf, not both');
      }
      let found: ContextVersion | undefined;
      if (options.version !== undefined) {
        found = await readVersion(tenantId, key, parseWith(versionNumberSchema, options.version, 'version'));
      } else if (options.asOf !== undefined) {
        found = await store.getAsOf(tenantId, key, parseWith(isoTimestampSchema, options.asOf, 'asOf'));
        if (!found) throw notFound(key, `did not exist at ${options.asOf}`);
      } else {
        found = await store.getCurrent(tenantId, key);
        if (!found) throw notFound(key);
      }
      if (found.deleted) throw notFound(key, `was deleted (version ${found.version})`);
      return found;
    },
    async list(tenantId, page = {}) {
      await scope(tenantId);
      return store.listKeys(tenantId, page);
    },
    async history(tenantId, key, page = {}) {
      await scope(tenantId, key);
      const result = await store.listVersions(tenantId, key, page);
      if (result.items.length === 0 && page.cursor === undefined) throw notFound(key);
      return result;
    },
    async diff(tenantId, key, from, to) {
      await scope(tenantId, key);
      const [fromVersion, toVersion] = await Promise.all([
        readVersion(tenantId, key, parseWith(versionNumberSchema, from, 'from')),
        readVersion(tenantId, key, parseWith(versionNumberSchema, to, 'to')),
      ]);
      const patch = fastJsonPatch
        .compare({ value: fromVersion.deleted ? null : fromVersion.value }, { value: toVersion.deleted ? null : toVersion.value })
        .map((operation) => ({ ...operation, path: operation.path.replace(/^\/value/, '') }));
      return { from, to, patch };
    },
    put: (tenantId, key, value, options = {}) => write(tenantId, key, options, { op: 'put', value }),
    patch: (tenantId, key, patch, options = {}) => write(tenantId, key, options, { op: 'patch', patch }),
    delete: (tenantId, key, options = {}) => write(tenantId, key, options, { op: 'delete' }),
    rollback: (tenantId, key, toVersion, options = {}) => write(tenantId, key, options, { op: 'rollback', toVersion }),
    async status(tenantId) {
      await scope(tenantId);
      return store.stats(tenantId);
    },
  };
}
