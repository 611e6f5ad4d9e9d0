import type { ClaimResult, IdempotencyRecord, IdempotencyStore } from '../idempotency-store.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlDatabase } from './sql-executor.js';
import type { WriteQueue } from './write-queue.js';

interface IdempotencyRow {
  scope: string;
  key: string;
  request_hash: string;
  response: unknown;
  created_at: string;
}

/** Idempotency records; every operation is a write, so all of them go through the queue. */
export class SqlIdempotencyStore implements IdempotencyStore {
  readonly #dialect: SqlDialect;
  readonly #writes: WriteQueue;

  constructor(database: SqlDatabase, writes: WriteQueue) {
    this.#dialect = database.dialect;
    this.#writes = writes;
  }

  claim(scope: string, key: string, requestHash: string, createdAt: string): Promise<ClaimResult> {
    return this.#writes.enqueue(async (transaction): Promise<ClaimResult> => {
      const inserted = await transaction.run(
        'INSERT INTO idempotency (scope, key, request_hash, response, created_at) VALUES (?, ?, ?, NULL, ?) ' +
          'ON CONFLICT (scope, key) DO NOTHING',
        [scope, key, requestHash, createdAt],
      );
      if (inserted.changes > 0) return { claimed: true };
      const row = await transaction.get<IdempotencyRow>(
        'SELECT scope, key, request_hash, response, created_at FROM idempotency WHERE scope = ? AND key = ?',
        [scope, key],
      );
      if (row === undefined) throw new Error('An idempotency record vanished inside its own transaction.');
      return { claimed: false, existing: this.#toRecord(row) };
    });
  }

  complete(scope: string, key: string, response: NonNullable<IdempotencyRecord['response']>): Promise<void> {
    return this.#writes.enqueue(async (transaction) => {
      await transaction.run('UPDATE idempotency SET response = ? WHERE scope = ? AND key = ?', [
        this.#dialect.encodeJson(response),
        scope,
        key,
      ]);
    });
  }

  release(scope: string, key: string): Promise<void> {
    return this.#writes.enqueue(async (transaction) => {
      await transaction.run('DELETE FROM idempotency WHERE scope = ? AND key = ?', [scope, key]);
    });
  }

  purge(before: string): Promise<number> {
    return this.#writes.enqueue(async (transaction) => {
      const result = await transaction.run('DELETE FROM idempotency WHERE created_at < ?', [before]);
      return result.changes;
    });
  }

  #toRecord(row: IdempotencyRow): IdempotencyRecord {
    return {
      scope: row.scope,
      key: row.key,
      requestHash: row.request_hash,
      response: row.response === null ? null : (this.#dialect.decodeJson(row.response) as IdempotencyRecord['response']),
      createdAt: row.created_at,
    };
  }
}
