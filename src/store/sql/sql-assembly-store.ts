import type { AssemblyRecord } from '../../core/assembly.js';
import type { JsonValue } from '../../core/json.js';
import type { AssemblyItemSnapshot, AssemblyStore } from '../assembly-store.js';
import { tenantNotFoundError } from '../store-errors.js';
import { rethrowConstraint } from './sql-constraint-violation.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlDatabase, SqlExecutor } from './sql-executor.js';
import type { WriteQueue } from './write-queue.js';

/** How many snapshot hashes one read binds. */
const HASHES_PER_QUERY = 100;

/** Assembly records (one JSON document each) and content-addressed item snapshots. */
export class SqlAssemblyStore implements AssemblyStore {
  readonly #reader: SqlExecutor;
  readonly #dialect: SqlDialect;
  readonly #writes: WriteQueue;

  constructor(database: SqlDatabase, writes: WriteQueue) {
    this.#reader = database.reader;
    this.#dialect = database.dialect;
    this.#writes = writes;
  }

  /** Written behind the answer, so nobody waits for the disk: the COMMIT does not fsync (TransactionOptions). */
  save(record: AssemblyRecord, items: AssemblyItemSnapshot[]): Promise<void> {
    return this.#writes.enqueue(
      async (transaction) => {
        try {
          for (const item of items) {
            await transaction.run(
              'INSERT INTO assembly_items (tenant_id, hash, payload, last_used_at) VALUES (?, ?, ?, ?) ' +
                'ON CONFLICT (tenant_id, hash) DO UPDATE SET last_used_at = excluded.last_used_at ' +
                'WHERE assembly_items.last_used_at < excluded.last_used_at',
              [record.tenantId, item.hash, this.#dialect.encodeJson(item.payload), record.createdAt],
            );
          }
          await transaction.run('INSERT INTO assemblies (tenant_id, id, created_at, record) VALUES (?, ?, ?, ?)', [
            record.tenantId,
            record.id,
            record.createdAt,
            this.#dialect.encodeJson(record),
          ]);
        } catch (error) {
          rethrowConstraint(error, { foreign_key: () => tenantNotFoundError(record.tenantId) });
        }
      },
      { durable: false },
    );
  }

  async get(tenantId: string, id: string): Promise<AssemblyRecord | undefined> {
    const row = await this.#reader.get<{ record: unknown }>('SELECT record FROM assemblies WHERE tenant_id = ? AND id = ?', [
      tenantId,
      id,
    ]);
    return row === undefined ? undefined : (this.#dialect.decodeJson(row.record) as AssemblyRecord);
  }

  async getItems(tenantId: string, hashes: string[]): Promise<Map<string, JsonValue>> {
    const found = new Map<string, JsonValue>();
    const unique = [...new Set(hashes)];
    for (let start = 0; start < unique.length; start += HASHES_PER_QUERY) {
      const chunk = unique.slice(start, start + HASHES_PER_QUERY);
      const rows = await this.#reader.all<{ hash: string; payload: unknown }>(
        `SELECT hash, payload FROM assembly_items WHERE tenant_id = ? AND hash IN (${chunk.map(() => '?').join(', ')})`,
        [tenantId, ...chunk],
      );
      for (const row of rows) found.set(row.hash, this.#dialect.decodeJson(row.payload) as JsonValue);
    }
    return found;
  }

  purge(before: string, itemsUsedBefore = before): Promise<number> {
    return this.#writes.enqueue(async (transaction) => {
      const removed = await transaction.run('DELETE FROM assemblies WHERE created_at < ?', [before]);
      await transaction.run('DELETE FROM assembly_items WHERE last_used_at < ?', [itemsUsedBefore]);
      return removed.changes;
    });
  }
}
