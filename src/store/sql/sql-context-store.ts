import type { ContextUpdate } from '../../core/context-update.js';
import type { ContextKeySummary, ContextStats, ContextVersion } from '../../core/context-version.js';
import type { Page, PageRequest } from '../../core/page.js';
import type { CommitCommand, CommitResult, ContextStore, UpdateFilter } from '../context-store.js';
import { decodeNumberCursor, decodeStringCursor, decodeStringPairCursor, resolvePageLimit, toPage } from '../page-request.js';
import { normalizeInstant } from '../store-errors.js';
import { CommitBatcher } from './commit-batcher.js';
import { type ContextUpdateRow, toContextUpdate } from './context-update-row.js';
import { CONTEXT_VERSION_COLUMNS, type ContextVersionRow, toContextVersion } from './context-version-row.js';
import { selectInChunks } from './multi-row.js';
import { ReadCoalescer } from './read-coalescer.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlDatabase, SqlExecutor, SqlParameter } from './sql-executor.js';
import type { VersionReadCache } from './version-read-cache.js';
import type { WriteQueue } from './write-queue.js';

const SELECT_VERSIONS = `SELECT ${CONTEXT_VERSION_COLUMNS} FROM context_versions`;
const GET_CURRENT = `${SELECT_VERSIONS} WHERE tenant_id = ? AND key = ? ORDER BY version DESC LIMIT 1`;
/** The current versions of several keys at once (the head names each key's newest version, tombstones included). */
const GET_CURRENT_MANY = `SELECT ${CONTEXT_VERSION_COLUMNS.split(', ')
  .map((column) => `v.${column}`)
  .join(
    ', ',
  )} FROM context_heads h JOIN context_versions v ON v.tenant_id = h.tenant_id AND v.key = h.key AND v.version = h.version WHERE `;
const GET_VERSION = `${SELECT_VERSIONS} WHERE tenant_id = ? AND key = ? AND version = ?`;
/** The newest version created at or before the instant: a backwards walk of the key's primary key range. */
const GET_AS_OF = `${SELECT_VERSIONS} WHERE tenant_id = ? AND key = ? AND created_at <= ? ORDER BY version DESC LIMIT 1`;
const LIST_VERSIONS = `${SELECT_VERSIONS} WHERE tenant_id = ? AND key = ? AND version > ? ORDER BY version LIMIT ?`;
const LIST_KEYS =
  'SELECT key, version, updated_at FROM context_heads WHERE tenant_id = ? AND deleted = 0 ' +
  'AND key > ? AND key >= ? AND key < ? ORDER BY key LIMIT ?';
const headId = (tenantId: string, key: string) => `${tenantId}\u0000${key}`;
/** Above every character a context key may hold (CONTEXT_KEY_PATTERN is ASCII). */
const KEY_UPPER_BOUND = '\uffff';

/** The ContextStore over any SQL dialect: reads on the reader, writes through the group-commit queue. */
export class SqlContextStore implements ContextStore {
  readonly #reader: SqlExecutor;
  readonly #dialect: SqlDialect;
  readonly #commits: CommitBatcher;
  readonly #cache: VersionReadCache;
  readonly #currentReads: ReadCoalescer<[string, string], ContextVersionRow> | undefined;

  /** `coalesceReads`: answer the current-version reads of one event-loop pass with one query (PostgreSQL). */
  constructor(database: SqlDatabase, writes: WriteQueue, cache: VersionReadCache, coalesceReads = false) {
    this.#reader = database.reader;
    this.#dialect = database.dialect;
    this.#commits = new CommitBatcher(writes, database.dialect);
    this.#cache = cache;
    this.#currentReads = coalesceReads
      ? new ReadCoalescer(
          ([tenantId, key]) => headId(tenantId, key),
          async (keys) => {
            const [only] = keys;
            if (keys.length === 1 && only !== undefined) {
              // One read in this pass (a reader alone): the plain primary-key statement.
              const row = await this.#reader.get<ContextVersionRow>(GET_CURRENT, only);
              return new Map(row === undefined ? [] : [[headId(row.tenant_id, row.key), row]]);
            }
            const rows = await selectInChunks(keys, (chunk) => {
              const condition = this.#dialect.keyPairsCondition('h.', chunk);
              return this.#reader.all<ContextVersionRow>(`${GET_CURRENT_MANY}${condition.sql}`, condition.parameters);
            });
            return new Map(rows.map((row) => [headId(row.tenant_id, row.key), row]));
          },
        )
      : undefined;
  }

  async getCurrent(tenantId: string, key: string): Promise<ContextVersion | undefined> {
    const cached = this.#cache.getCurrent(tenantId, key);
    if (cached !== undefined) return toContextVersion(this.#dialect, cached);
    const generation = this.#cache.generation;
    const row =
      this.#currentReads === undefined
        ? await this.#reader.get<ContextVersionRow>(GET_CURRENT, [tenantId, key])
        : await this.#currentReads.load([tenantId, key]);
    if (row === undefined) return undefined;
    this.#cache.setCurrent(row, generation);
    this.#cache.setVersion(row);
    return toContextVersion(this.#dialect, row);
  }

  async getVersion(tenantId: string, key: string, version: number): Promise<ContextVersion | undefined> {
    if (!Number.isInteger(version)) return undefined;
    const cached = this.#cache.getVersion(tenantId, key, version);
    if (cached !== undefined) return toContextVersion(this.#dialect, cached);
    const row = await this.#reader.get<ContextVersionRow>(GET_VERSION, [tenantId, key, version]);
    if (row === undefined) return undefined;
    this.#cache.setVersion(row);
    return toContextVersion(this.#dialect, row);
  }

  async getAsOf(tenantId: string, key: string, at: string): Promise<ContextVersion | undefined> {
    const row = await this.#reader.get<ContextVersionRow>(GET_AS_OF, [tenantId, key, normalizeInstant(at)]);
    return row === undefined ? undefined : toContextVersion(this.#dialect, row);
  }

  async listVersions(tenantId: string, key: string, page: PageRequest): Promise<Page<ContextVersion>> {
    const limit = resolvePageLimit(page.limit);
    const after = page.cursor === undefined ? 0 : decodeNumberCursor(page.cursor);
    const rows = await this.#reader.all<ContextVersionRow>(LIST_VERSIONS, [tenantId, key, after, limit + 1]);
    const versions = rows.map((row) => toContextVersion(this.#dialect, row));
    return toPage(versions, limit, (version) => [version.version]);
  }

  async listKeys(tenantId: string, page: PageRequest & { prefix?: string | undefined }): Promise<Page<ContextKeySummary>> {
    const limit = resolvePageLimit(page.limit);
    const after = page.cursor === undefined ? '' : decodeStringCursor(page.cursor);
    const prefix = page.prefix ?? '';
    const rows = await this.#reader.all<{ key: string; version: number; updated_at: string }>(LIST_KEYS, [
      tenantId,
      after,
      prefix,
      prefix + KEY_UPPER_BOUND,
      limit + 1,
    ]);
    const summaries = rows.map((row) => ({ key: row.key, version: row.version, updatedAt: row.updated_at }));
    return toPage(summaries, limit, (summary) => [summary.key]);
  }

  async getUpdate(tenantId: string, id: string): Promise<ContextUpdate | undefined> {
    const row = await this.#reader.get<ContextUpdateRow>('SELECT * FROM context_updates WHERE id = ? AND tenant_id = ?', [
      id,
      tenantId,
    ]);
    return row === undefined ? undefined : toContextUpdate(this.#dialect, row);
  }

  async listUpdates(filter: UpdateFilter): Promise<Page<ContextUpdate>> {
    const limit = resolvePageLimit(filter.limit);
    if (filter.tenantIds !== undefined && filter.tenantIds.length === 0) return { items: [] };
    const conditions: string[] = [];
    const parameters: SqlParameter[] = [];
    if (filter.tenantIds !== undefined) {
      conditions.push(`tenant_id IN (${filter.tenantIds.map(() => '?').join(', ')})`);
      parameters.push(...filter.tenantIds);
    }
    if (filter.status !== undefined) {
      conditions.push('status = ?');
      parameters.push(filter.status);
    }
    if (filter.key !== undefined) {
      conditions.push('key = ?');
      parameters.push(filter.key);
    }
    if (filter.cursor !== undefined) {
      conditions.push('(created_at, id) > (?, ?)');
      parameters.push(...decodeStringPairCursor(filter.cursor));
    }
    const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
    const rows = await this.#reader.all<ContextUpdateRow>(
      `SELECT * FROM context_updates${where} ORDER BY created_at, id LIMIT ?`,
      [...parameters, limit + 1],
    );
    const updates = rows.map((row) => toContextUpdate(this.#dialect, row));
    return toPage(updates, limit, (update) => [update.createdAt, update.id]);
  }

  commit(command: CommitCommand): Promise<CommitResult> {
    return this.#commits.commit(command);
  }

  async stats(tenantId: string): Promise<ContextStats> {
    const reader = this.#reader;
    const [documents, versions, pending, bySource] = await Promise.all([
      reader.get<{ count: number }>('SELECT count(*) AS count FROM context_heads WHERE tenant_id = ? AND deleted = 0', [
        tenantId,
      ]),
      reader.get<{ count: number; last: string | null }>(
        'SELECT count(*) AS count, max(created_at) AS last FROM context_versions WHERE tenant_id = ?',
        [tenantId],
      ),
      reader.get<{ count: number }>("SELECT count(*) AS count FROM context_updates WHERE tenant_id = ? AND status = 'pending'", [
        tenantId,
      ]),
      reader.all<{ source: string; count: number }>(
        'SELECT source, count(*) AS count FROM context_updates WHERE tenant_id = ? GROUP BY source',
        [tenantId],
      ),
    ]);
    const updatesBySource: Partial<Record<string, number>> = {};
    for (const row of bySource) updatesBySource[row.source] = Number(row.count);
    return {
      documents: Number(documents?.count ?? 0),
      versions: Number(versions?.count ?? 0),
      pendingUpdates: Number(pending?.count ?? 0),
      lastUpdateAt: versions?.last ?? null,
      updatesBySource,
    };
  }
}
