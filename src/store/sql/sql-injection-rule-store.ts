import type { JsonObject } from '../../core/json.js';
import { injectionRulesVersionConflictError } from '../injection-rule-errors.js';
import type { InjectionRuleSet, InjectionRuleStore } from '../injection-rule-store.js';
import { tenantNotFoundError } from '../store-errors.js';
import { rethrowConstraint } from './sql-constraint-violation.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlDatabase, SqlExecutor } from './sql-executor.js';
import type { WriteQueue } from './write-queue.js';

interface RuleSetRow {
  rules: unknown;
  version: number | string;
  updated_at: string;
}

const SELECT_SET = 'SELECT rules, version, updated_at FROM injection_rules WHERE tenant_id = ?';

/** Rule sets in `injection_rules`, one row per tenant. */
export class SqlInjectionRuleStore implements InjectionRuleStore {
  readonly #reader: SqlExecutor;
  readonly #dialect: SqlDialect;
  readonly #writes: WriteQueue;

  constructor(database: SqlDatabase, writes: WriteQueue) {
    this.#reader = database.reader;
    this.#dialect = database.dialect;
    this.#writes = writes;
  }

  async get(tenantId: string): Promise<InjectionRuleSet | undefined> {
    const row = await this.#reader.get<RuleSetRow>(SELECT_SET, [tenantId]);
    return row === undefined ? undefined : this.#toSet(tenantId, row);
  }

  put(tenantId: string, rules: JsonObject[], now: string, expectedVersion?: number): Promise<InjectionRuleSet> {
    return this.#writes.enqueue(async (transaction) => {
      const row = await transaction.get<{ version: number | string }>(
        `SELECT version FROM injection_rules WHERE tenant_id = ?${this.#dialect.lockForUpdate}`,
        [tenantId],
      );
      const current = row === undefined ? 0 : Number(row.version);
      if (expectedVersion !== undefined && expectedVersion !== current)
        throw injectionRulesVersionConflictError(expectedVersion, current);
      try {
        // The upsert also settles two first puts at once: the second becomes version 2.
        await transaction.run(
          'INSERT INTO injection_rules (tenant_id, rules, version, updated_at) VALUES (?, ?, 1, ?) ' +
            'ON CONFLICT (tenant_id) DO UPDATE SET rules = excluded.rules, ' +
            'version = injection_rules.version + 1, updated_at = excluded.updated_at',
          [tenantId, this.#dialect.encodeJson(rules), now],
        );
      } catch (error) {
        rethrowConstraint(error, { foreign_key: () => tenantNotFoundError(tenantId) });
      }
      const stored = await transaction.get<RuleSetRow>(SELECT_SET, [tenantId]);
      if (stored === undefined) throw new Error('An injection rule set vanished inside its own transaction.');
      if (expectedVersion !== undefined && Number(stored.version) !== current + 1)
        throw injectionRulesVersionConflictError(expectedVersion, Number(stored.version) - 1);
      return this.#toSet(tenantId, stored);
    });
  }

  #toSet(tenantId: string, row: RuleSetRow): InjectionRuleSet {
    return {
      tenantId,
      rules: this.#dialect.decodeJson(row.rules) as JsonObject[],
      version: Number(row.version),
      updatedAt: row.updated_at,
    };
  }
}
