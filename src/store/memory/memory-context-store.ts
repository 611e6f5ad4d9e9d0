import type { ContextUpdate } from '../../core/context-update.js';
import type { ContextKeySummary, ContextStats, ContextVersion } from '../../core/context-version.js';
import type { Page, PageRequest } from '../../core/page.js';
import type { CommitCommand, CommitResult, ContextStore, UpdateFilter } from '../context-store.js';
import { decodeNumberCursor, decodeStringCursor, decodeStringPairCursor, resolvePageLimit, toPage } from '../page-request.js';
import { normalizeInstant } from '../store-errors.js';
import { applyMemoryCommit } from './memory-commit.js';
import { MemoryContextState } from './memory-context-state.js';
import { compareStrings } from './memory-tenant-store.js';

/** Versioned context documents and updates in memory; reads return copies. */
export class MemoryContextStore implements ContextStore {
  readonly #state = new MemoryContextState();
  readonly #tenantExists: (tenantId: string) => boolean;

  constructor(tenantExists: (tenantId: string) => boolean) {
    this.#tenantExists = tenantExists;
  }

  async getCurrent(tenantId: string, key: string): Promise<ContextVersion | undefined> {
    const history = this.#state.history(tenantId, key);
    return copy(history?.[history.length - 1]);
  }

  async getVersion(tenantId: string, key: string, version: number): Promise<ContextVersion | undefined> {
    if (!Number.isInteger(version) || version < 1) return undefined;
    return copy(this.#state.history(tenantId, key)?.[version - 1]);
  }

  async getAsOf(tenantId: string, key: string, at: string): Promise<ContextVersion | undefined> {
    const instant = normalizeInstant(at);
    const history = this.#state.history(tenantId, key) ?? [];
    for (let index = history.length - 1; index >= 0; index--) {
      const version = history[index];
      if (version !== undefined && version.createdAt <= instant) return copy(version);
    }
    return undefined;
  }

  async listVersions(tenantId: string, key: string, page: PageRequest): Promise<Page<ContextVersion>> {
    const limit = resolvePageLimit(page.limit);
    const after = page.cursor === undefined ? 0 : decodeNumberCursor(page.cursor);
    const history = this.#state.history(tenantId, key) ?? [];
    const rows = history.slice(Math.max(after, 0), Math.max(after, 0) + limit + 1).map((version) => copyOf(version));
    return toPage(rows, limit, (version) => [version.version]);
  }

  async listKeys(tenantId: string, page: PageRequest & { prefix?: string | undefined }): Promise<Page<ContextKeySummary>> {
    const limit = resolvePageLimit(page.limit);
    const after = page.cursor === undefined ? undefined : decodeStringCursor(page.cursor);
    const prefix = page.prefix ?? '';
    const summaries: ContextKeySummary[] = [];
    for (const [key, history] of this.#state.versions.get(tenantId) ?? []) {
      const head = history[history.length - 1];
      if (head === undefined || head.deleted || !key.startsWith(prefix)) continue;
      if (after !== undefined && key <= after) continue;
      summaries.push({ key, version: head.version, updatedAt: head.createdAt });
    }
    summaries.sort((left, right) => compareStrings(left.key, right.key));
    return toPage(summaries.slice(0, limit + 1), limit, (summary) => [summary.key]);
  }

  async getUpdate(tenantId: string, id: string): Promise<ContextUpdate | undefined> {
    return copy(this.#state.update(tenantId, id));
  }

  async listUpdates(filter: UpdateFilter): Promise<Page<ContextUpdate>> {
    const limit = resolvePageLimit(filter.limit);
    const after = filter.cursor === undefined ? undefined : decodeStringPairCursor(filter.cursor);
    const tenants = filter.tenantIds === undefined ? undefined : new Set(filter.tenantIds);
    const matches = [...this.#state.updates.values()].filter(
      (update) =>
        (tenants === undefined || tenants.has(update.tenantId)) &&
        (filter.status === undefined || update.status === filter.status) &&
        (filter.key === undefined || update.key === filter.key) &&
        (after === undefined || compareUpdateOrder(update, after[0], after[1]) > 0),
    );
    matches.sort((left, right) => compareUpdateOrder(left, right.createdAt, right.id));
    const rows = matches.slice(0, limit + 1).map((update) => copyOf(update));
    return toPage(rows, limit, (update) => [update.createdAt, update.id]);
  }

  async commit(command: CommitCommand): Promise<CommitResult> {
    return applyMemoryCommit(this.#state, command, this.#tenantExists);
  }

  async stats(tenantId: string): Promise<ContextStats> {
    let documents = 0;
    let versions = 0;
    let lastUpdateAt: string | null = null;
    for (const history of this.#state.versions.get(tenantId)?.values() ?? []) {
      versions += history.length;
      const head = history[history.length - 1];
      if (head !== undefined && !head.deleted) documents += 1;
      for (const version of history) {
        if (lastUpdateAt === null || version.createdAt > lastUpdateAt) lastUpdateAt = version.createdAt;
      }
    }
    let pendingUpdates = 0;
    const updatesBySource: Partial<Record<string, number>> = {};
    for (const update of this.#state.updates.values()) {
      if (update.tenantId !== tenantId) continue;
      if (update.status === 'pending') pendingUpdates += 1;
      updatesBySource[update.source] = (updatesBySource[update.source] ?? 0) + 1;
    }
    return { documents, versions, pendingUpdates, lastUpdateAt, updatesBySource };
  }
}

function compareUpdateOrder(update: ContextUpdate, createdAt: string, id: string): number {
  return compareStrings(update.createdAt, createdAt) || compareStrings(update.id, id);
}

function copy<T>(value: T | undefined): T | undefined {
  return value === undefined ? undefined : structuredClone(value);
}

function copyOf<T>(value: T): T {
  return structuredClone(value);
}
