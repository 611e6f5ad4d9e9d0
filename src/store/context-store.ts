import type { ContextUpdate, UpdateStatus } from '../core/context-update.js';
import type { ContextKeySummary, ContextStats, ContextVersion } from '../core/context-version.js';
import type { JsonValue } from '../core/json.js';
import type { Page, PageRequest } from '../core/page.js';
import type { TokenCounts } from '../core/token-counts.js';
import type { UpdateSource } from '../core/update-source.js';

/** What a new version holds; the store assigns `version`, `parentVersion`, `tenantId`, `key` and `updateId`. */
export interface VersionDraft {
  value: JsonValue;
  deleted: boolean;
  contentHash: string;
  source: UpdateSource;
  author: string;
  createdAt: string;
  /** The value's token counts, when the writer counted them (stored with the version). */
  tokenCounts?: TokenCounts | undefined;
  /**
   * The value's canonical JSON (RFC 8785), when the writer already has it (it hashed it for `contentHash`): a store
   * that keeps values as canonical text then does not serialise the value a second time. It must be exactly
   * `canonicalJson(value)`; ignored for tombstones.
   */
  valueText?: string | undefined;
}

/**
 * One atomic change to the governed store: write an update record (insert, or compare-and-set its status)
 * and optionally append a version to the update's key — all or nothing.
 */
export interface CommitCommand {
  /** The update as it must be stored after this commit (its `appliedVersion` is filled in by the store when a version is appended). */
  update: ContextUpdate;
  /**
   * Absent: insert `update` as a new record (ConflictError `update_exists` when the id is taken).
   * Present: the stored update (same tenant and id) must have this status now, else ConflictError
   * `update_state_changed` with `details.status` = the stored status; NotFoundError when it does not exist.
   */
  expectStatus?: UpdateStatus | undefined;
  /**
   * Append a version to `update.key`. `expectedCurrentVersion` is the newest version number of the key
   * (tombstones count), or null when the key has no version yet; a mismatch fails the whole commit with
   * ConflictError `version_conflict` and `details.currentVersion`.
   */
  append?: { expectedCurrentVersion: number | null; draft: VersionDraft } | undefined;
}

export interface CommitResult {
  update: ContextUpdate;
  version?: ContextVersion | undefined;
}

export interface UpdateFilter extends PageRequest {
  /** Restrict to these tenants (an empty list matches nothing); undefined = every tenant (admin views only). */
  tenantIds?: string[] | undefined;
  status?: UpdateStatus | undefined;
  key?: string | undefined;
}

/**
 * Versioned context documents and their updates. Every method is scoped by tenant; nothing crosses tenants
 * except `listUpdates` without `tenantIds`, which only admin views use.
 */
export interface ContextStore {
  /** The newest version of a key, tombstones included; undefined when the key never existed. */
  getCurrent(tenantId: string, key: string): Promise<ContextVersion | undefined>;
  getVersion(tenantId: string, key: string, version: number): Promise<ContextVersion | undefined>;
  /** The newest version created at or before `at` (ISO-8601). */
  getAsOf(tenantId: string, key: string, at: string): Promise<ContextVersion | undefined>;
  /** Versions of a key, oldest first. */
  listVersions(tenantId: string, key: string, page: PageRequest): Promise<Page<ContextVersion>>;
  /** Keys whose current version is not a tombstone, ordered by key. */
  listKeys(tenantId: string, page: PageRequest & { prefix?: string | undefined }): Promise<Page<ContextKeySummary>>;
  getUpdate(tenantId: string, id: string): Promise<ContextUpdate | undefined>;
  /** Updates ordered by (createdAt, id). */
  listUpdates(filter: UpdateFilter): Promise<Page<ContextUpdate>>;
  commit(command: CommitCommand): Promise<CommitResult>;
  stats(tenantId: string): Promise<ContextStats>;
}
