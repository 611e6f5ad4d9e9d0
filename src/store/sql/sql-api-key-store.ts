import type { ApiKeyRecord, ApiKeyRole } from '../../core/api-key.js';
import type { ApiKeyStore } from '../api-key-store.js';
import { apiKeyExistsError, tenantNotFoundError } from '../store-errors.js';
import { rethrowConstraint } from './sql-constraint-violation.js';
import type { SqlDatabase, SqlExecutor } from './sql-executor.js';
import type { WriteQueue } from './write-queue.js';

interface ApiKeyRow {
  id: string;
  tenant_id: string | null;
  role: string;
  name: string;
  secret_hash: string;
  created_at: string;
}

const COLUMNS = 'id, tenant_id, role, name, secret_hash, created_at';

export class SqlApiKeyStore implements ApiKeyStore {
  readonly #reader: SqlExecutor;
  readonly #writes: WriteQueue;

  constructor(database: SqlDatabase, writes: WriteQueue) {
    this.#reader = database.reader;
    this.#writes = writes;
  }

  create(record: ApiKeyRecord): Promise<ApiKeyRecord> {
    return this.#writes.enqueue(async (transaction) => {
      try {
        await transaction.run(`INSERT INTO api_keys (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`, [
          record.id,
          record.tenantId,
          record.role,
          record.name,
          record.secretHash,
          record.createdAt,
        ]);
      } catch (error) {
        rethrowConstraint(error, {
          unique: () => apiKeyExistsError(record.id),
          foreign_key: () => tenantNotFoundError(record.tenantId ?? ''),
        });
      }
      return { ...record };
    });
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.#reader.get<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE id = ?`, [id]);
    return row === undefined ? undefined : toApiKeyRecord(row);
  }

  async list(tenantId?: string): Promise<ApiKeyRecord[]> {
    const rows =
      tenantId === undefined
        ? await this.#reader.all<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys ORDER BY id`)
        : await this.#reader.all<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE tenant_id = ? ORDER BY id`, [tenantId]);
    return rows.map(toApiKeyRecord);
  }

  delete(id: string): Promise<boolean> {
    return this.#writes.enqueue(async (transaction) => {
      const result = await transaction.run('DELETE FROM api_keys WHERE id = ?', [id]);
      return result.changes > 0;
    });
  }

  async count(): Promise<number> {
    const row = await this.#reader.get<{ count: number }>('SELECT count(*) AS count FROM api_keys');
    return Number(row?.count ?? 0);
  }
}

function toApiKeyRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    role: row.role as ApiKeyRole,
    name: row.name,
    secretHash: row.secret_hash,
    createdAt: row.created_at,
  };
}
