import type { ApprovalPolicy } from '../../core/approval-policy.js';
import type { Page, PageRequest } from '../../core/page.js';
import type { Tenant, TenantFacets } from '../../core/tenant.js';
import { decodeStringCursor, resolvePageLimit, toPage } from '../page-request.js';
import { tenantExistsError, tenantNotFoundError } from '../store-errors.js';
import type { TenantStore } from '../tenant-store.js';
import { selectInChunks } from './multi-row.js';
import { ReadCoalescer } from './read-coalescer.js';
import { rethrowConstraint } from './sql-constraint-violation.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlDatabase, SqlExecutor } from './sql-executor.js';
import type { TenantReadCache } from './tenant-read-cache.js';
import type { WriteQueue } from './write-queue.js';

export interface TenantRow {
  id: string;
  name: string;
  facets: unknown;
  policy: unknown;
  created_at: string;
}

const SELECT_TENANTS = 'SELECT id, name, facets, policy, created_at FROM tenants';
const SELECT_TENANT = `${SELECT_TENANTS} WHERE id = ?`;

export class SqlTenantStore implements TenantStore {
  readonly #reader: SqlExecutor;
  readonly #dialect: SqlDialect;
  readonly #writes: WriteQueue;
  readonly #cache: TenantReadCache<TenantRow>;
  readonly #load: (id: string) => Promise<TenantRow | undefined>;

  /** `coalesceReads`: answer the tenant reads of one event-loop pass with one query (PostgreSQL). */
  constructor(database: SqlDatabase, writes: WriteQueue, cache: TenantReadCache<TenantRow>, coalesceReads = false) {
    this.#reader = database.reader;
    this.#dialect = database.dialect;
    this.#writes = writes;
    this.#cache = cache;
    if (coalesceReads) {
      const reads = new ReadCoalescer<string, TenantRow>(
        (id) => id,
        async (ids) => {
          const rows = await selectInChunks(ids, (chunk) =>
            this.#reader.all<TenantRow>(`${SELECT_TENANTS} WHERE id IN (${chunk.map(() => '?').join(', ')})`, chunk),
          );
          return new Map(rows.map((row) => [row.id, row]));
        },
      );
      this.#load = (id) => reads.load(id);
    } else {
      this.#load = (id) => this.#reader.get<TenantRow>(SELECT_TENANT, [id]);
    }
  }

  create(tenant: Tenant): Promise<Tenant> {
    return this.#writes.enqueue(async (transaction) => {
      try {
        await transaction.run('INSERT INTO tenants (id, name, facets, policy, created_at) VALUES (?, ?, ?, ?, ?)', [
          tenant.id,
          tenant.name,
          this.#dialect.encodeJson(tenant.facets),
          this.#dialect.encodeJson(tenant.policy),
          tenant.createdAt,
        ]);
      } catch (error) {
        rethrowConstraint(error, { unique: () => tenantExistsError(tenant.id) });
      }
      return structuredClone(tenant);
    });
  }

  async get(id: string): Promise<Tenant | undefined> {
    const row = await this.#cache.readThrough(id, () => this.#load(id));
    return row === undefined ? undefined : this.#toTenant(row);
  }

  async list(page: PageRequest): Promise<Page<Tenant>> {
    const limit = resolvePageLimit(page.limit);
    const after = page.cursor === undefined ? '' : decodeStringCursor(page.cursor);
    const rows = await this.#reader.all<TenantRow>(
      'SELECT id, name, facets, policy, created_at FROM tenants WHERE id > ? ORDER BY id LIMIT ?',
      [after, limit + 1],
    );
    return toPage(
      rows.map((row) => this.#toTenant(row)),
      limit,
      (tenant) => [tenant.id],
    );
  }

  async setPolicy(id: string, policy: Partial<ApprovalPolicy>): Promise<Tenant> {
    try {
      return await this.#writes.enqueue(async (transaction) => {
        const result = await transaction.run('UPDATE tenants SET policy = ? WHERE id = ?', [
          this.#dialect.encodeJson(policy),
          id,
        ]);
        const row = result.changes === 0 ? undefined : await transaction.get<TenantRow>(SELECT_TENANT, [id]);
        if (row === undefined) throw tenantNotFoundError(id);
        return this.#toTenant(row);
      });
    } finally {
      // After the commit, before the caller hears of it: no read that began earlier may store the old row.
      this.#cache.invalidate(id);
    }
  }

  #toTenant(row: TenantRow): Tenant {
    return {
      id: row.id,
      name: row.name,
      facets: this.#dialect.decodeJson(row.facets) as TenantFacets,
      policy: this.#dialect.decodeJson(row.policy) as Partial<ApprovalPolicy>,
      createdAt: row.created_at,
    };
  }
}
