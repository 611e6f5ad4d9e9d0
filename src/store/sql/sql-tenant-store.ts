import type { ApprovalPolicy } from '../../core/approval-policy.js';
import type { Page, PageRequest } from '../../core/page.js';
import type { Tenant, TenantFacets } from '../../core/tenant.js';
import { decodeStringCursor, resolvePageLimit, toPage } from '../page-request.js';
import { tenantExistsError, tenantNotFoundError } from '../store-errors.js';
import type { TenantStore } from '../tenant-store.js';
import { rethrowConstraint } from './sql-constraint-violation.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlDatabase, SqlExecutor } from './sql-executor.js';
import type { WriteQueue } from './write-queue.js';

interface TenantRow {
  id: string;
  name: string;
  facets: unknown;
  policy: unknown;
  created_at: string;
}

const SELECT_TENANT = 'SELECT id, name, facets, policy, created_at FROM tenants WHERE id = ?';

export class SqlTenantStore implements TenantStore {
  readonly #reader: SqlExecutor;
  readonly #dialect: SqlDialect;
  readonly #writes: WriteQueue;

  constructor(database: SqlDatabase, writes: WriteQueue) {
    this.#reader = database.reader;
    this.#dialect = database.dialect;
    this.#writes = writes;
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
    const row = await this.#reader.get<TenantRow>(SELECT_TENANT, [id]);
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

  setPolicy(id: string, policy: Partial<ApprovalPolicy>): Promise<Tenant> {
    return this.#writes.enqueue(async (transaction) => {
      const result = await transaction.run('UPDATE tenants SET policy = ? WHERE id = ?', [this.#dialect.encodeJson(policy), id]);
      const row = result.changes === 0 ? undefined : await transaction.get<TenantRow>(SELECT_TENANT, [id]);
      if (row === undefined) throw tenantNotFoundError(id);
      return this.#toTenant(row);
    });
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
