import type { JourneyGraph, Milestone, MilestoneCompletion } from '../../core/journey.js';
import type { JsonObject } from '../../core/json.js';
import type { TokenCounts } from '../../core/token-counts.js';
import { dependenciesIncompleteError, journeyVersionConflictError } from '../journey-errors.js';
import type { JourneyStore, MilestoneCompletionDraft, UserCompletions } from '../journey-store.js';
import { tenantNotFoundError } from '../store-errors.js';
import { rethrowConstraint } from './sql-constraint-violation.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlDatabase, SqlExecutor } from './sql-executor.js';
import type { WriteQueue } from './write-queue.js';

interface GraphRow {
  milestones: unknown;
  version: number;
  updated_at: string;
}

interface CompletionRow {
  milestone: string;
  data: unknown;
  key_decisions: unknown;
  tokens: unknown;
  revision: number;
  completed_at: string;
}

const SELECT_COMPLETIONS =
  'SELECT milestone, data, key_decisions, tokens, revision, completed_at FROM milestone_completions ' +
  'WHERE tenant_id = ? AND user_id = ? ORDER BY generation';

/** Graphs in `journey_graphs`; completions in `milestone_completions`, with a per-user generation in `journey_users`. */
export class SqlJourneyStore implements JourneyStore {
  readonly #reader: SqlExecutor;
  readonly #dialect: SqlDialect;
  readonly #writes: WriteQueue;

  constructor(database: SqlDatabase, writes: WriteQueue) {
    this.#reader = database.reader;
    this.#dialect = database.dialect;
    this.#writes = writes;
  }

  async getGraph(tenantId: string): Promise<JourneyGraph | undefined> {
    const row = await this.#reader.get<GraphRow>(
      'SELECT milestones, version, updated_at FROM journey_graphs WHERE tenant_id = ?',
      [tenantId],
    );
    return row === undefined ? undefined : this.#toGraph(tenantId, row);
  }

  putGraph(tenantId: string, milestones: Milestone[], now: string, expectedVersion?: number): Promise<JourneyGraph> {
    return this.#writes.enqueue(async (transaction) => {
      const row = await transaction.get<{ version: number }>(
        `SELECT version FROM journey_graphs WHERE tenant_id = ?${this.#dialect.lockForUpdate}`,
        [tenantId],
      );
      const current = row === undefined ? 0 : Number(row.version);
      if (expectedVersion !== undefined && expectedVersion !== current)
        throw journeyVersionConflictError(expectedVersion, current);
      const encoded = this.#dialect.encodeJson(milestones);
      try {
        // The upsert also settles two first graphs written at once: the second becomes version 2.
        await transaction.run(
          'INSERT INTO journey_graphs (tenant_id, milestones, version, updated_at) VALUES (?, ?, 1, ?) ' +
            'ON CONFLICT (tenant_id) DO UPDATE SET milestones = excluded.milestones, ' +
            'version = journey_graphs.version + 1, updated_at = excluded.updated_at',
          [tenantId, encoded, now],
        );
      } catch (error) {
        rethrowConstraint(error, { foreign_key: () => tenantNotFoundError(tenantId) });
      }
      const stored = await transaction.get<GraphRow>(
        'SELECT milestones, version, updated_at FROM journey_graphs WHERE tenant_id = ?',
        [tenantId],
      );
      if (stored === undefined) throw new Error('A journey graph vanished inside its own transaction.');
      if (expectedVersion !== undefined && Number(stored.version) !== current + 1) {
        throw journeyVersionConflictError(expectedVersion, Number(stored.version) - 1);
      }
      return this.#toGraph(tenantId, stored);
    });
  }

  complete(tenantId: string, userId: string, draft: MilestoneCompletionDraft, requires: string[]) {
    return this.#writes.enqueue(async (transaction) => {
      try {
        await transaction.run(
          'INSERT INTO journey_users (tenant_id, user_id, generation) VALUES (?, ?, 0) ON CONFLICT (tenant_id, user_id) DO NOTHING',
          [tenantId, userId],
        );
      } catch (error) {
        rethrowConstraint(error, { foreign_key: () => tenantNotFoundError(tenantId) });
      }
      // Locking the user's row serialises completions of one user (PostgreSQL); SQLite has one writer anyway.
      const user = await transaction.get<{ generation: number }>(
        `SELECT generation FROM journey_users WHERE tenant_id = ? AND user_id = ?${this.#dialect.lockForUpdate}`,
        [tenantId, userId],
      );
      const generation = Number(user?.generation ?? 0) + 1;
      const done = await transaction.all<{ milestone: string; revision: number }>(
        'SELECT milestone, revision FROM milestone_completions WHERE tenant_id = ? AND user_id = ?',
        [tenantId, userId],
      );
      const completed = new Map(done.map((row) => [row.milestone, Number(row.revision)]));
      const missing = requires.filter((milestone) => !completed.has(milestone));
      if (missing.length > 0) throw dependenciesIncompleteError(draft.milestone, missing);
      const revision = (completed.get(draft.milestone) ?? 0) + 1;
      const values = [
        this.#dialect.encodeJson(draft.data),
        this.#dialect.encodeJson(draft.keyDecisions),
        this.#dialect.encodeJson(draft.tokens),
        revision,
        generation,
        draft.completedAt,
      ];
      if (revision === 1) {
        await transaction.run(
          'INSERT INTO milestone_completions (tenant_id, user_id, milestone, data, key_decisions, tokens, revision, generation, completed_at) ' +
            'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [tenantId, userId, draft.milestone, ...values],
        );
      } else {
        await transaction.run(
          'UPDATE milestone_completions SET data = ?, key_decisions = ?, tokens = ?, revision = ?, generation = ?, completed_at = ? ' +
            'WHERE tenant_id = ? AND user_id = ? AND milestone = ?',
          [...values, tenantId, userId, draft.milestone],
        );
      }
      await transaction.run('UPDATE journey_users SET generation = ? WHERE tenant_id = ? AND user_id = ?', [
        generation,
        tenantId,
        userId,
      ]);
      const completion: MilestoneCompletion = { ...structuredClone(draft), tenantId, userId, revision };
      return { completion, generation };
    });
  }

  async generations(tenantId: string, userId: string): Promise<{ generation: number; graphVersion: number }> {
    const row = await this.#reader.get<{ generation: number | string | null; graph_version: number | string | null }>(
      'SELECT (SELECT generation FROM journey_users WHERE tenant_id = ? AND user_id = ?) AS generation, ' +
        '(SELECT version FROM journey_graphs WHERE tenant_id = ?) AS graph_version',
      [tenantId, userId, tenantId],
    );
    return { generation: Number(row?.generation ?? 0), graphVersion: Number(row?.graph_version ?? 0) };
  }

  async listCompletions(tenantId: string, userId: string): Promise<UserCompletions> {
    const user = await this.#reader.get<{ generation: number }>(
      'SELECT generation FROM journey_users WHERE tenant_id = ? AND user_id = ?',
      [tenantId, userId],
    );
    if (user === undefined) return { completions: [], generation: 0 };
    const rows = await this.#reader.all<CompletionRow>(SELECT_COMPLETIONS, [tenantId, userId]);
    return { completions: rows.map((row) => this.#toCompletion(tenantId, userId, row)), generation: Number(user.generation) };
  }

  #toGraph(tenantId: string, row: GraphRow): JourneyGraph {
    return {
      tenantId,
      milestones: this.#dialect.decodeJson(row.milestones) as Milestone[],
      version: Number(row.version),
      updatedAt: row.updated_at,
    };
  }

  #toCompletion(tenantId: string, userId: string, row: CompletionRow): MilestoneCompletion {
    return {
      tenantId,
      userId,
      milestone: row.milestone,
      data: this.#dialect.decodeJson(row.data) as JsonObject,
      keyDecisions: this.#dialect.decodeJson(row.key_decisions) as string[],
      tokens: this.#dialect.decodeJson(row.tokens) as TokenCounts,
      revision: Number(row.revision),
      completedAt: row.completed_at,
    };
  }
}
