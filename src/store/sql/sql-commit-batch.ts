import type { ContextUpdate, UpdateStatus } from '../../core/context-update.js';
import type { ContextVersion } from '../../core/context-version.js';
import type { CommitCommand, CommitResult } from '../context-store.js';
import {
  tenantNotFoundError,
  updateExistsError,
  updateNotFoundError,
  updateStateChangedError,
  versionConflictError,
} from '../store-errors.js';
import type { CommitBatchLockedRow, CommitBatchRows } from './commit-batch-statements.js';
import { UPDATE_DATA_COLUMNS, updateColumnValues } from './context-update-row.js';
import { CONTEXT_VERSION_COLUMNS } from './context-version-row.js';
import { insertRows, selectInChunks } from './multi-row.js';
import { SqlConstraintViolation } from './sql-constraint-violation.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlParameter, SqlTransaction } from './sql-executor.js';
import { SqlTransactionConflict } from './sql-transaction-conflict.js';

export type CommitOutcome = { ok: true; result: CommitResult } | { ok: false; error: Error };

const INSERT_VERSIONS = `INSERT INTO context_versions (${CONTEXT_VERSION_COLUMNS})`;
const UPSERT_HEADS = 'INSERT INTO context_heads (tenant_id, key, version, deleted, updated_at)';
const UPSERT_HEADS_SUFFIX =
  ' ON CONFLICT (tenant_id, key) DO UPDATE SET version = excluded.version, deleted = excluded.deleted, updated_at = excluded.updated_at';
const INSERT_UPDATES = `INSERT INTO context_updates (id, tenant_id, ${UPDATE_DATA_COLUMNS.join(', ')})`;
const REPLACE_UPDATE = `UPDATE context_updates SET ${UPDATE_DATA_COLUMNS.map((column) => `${column} = ?`).join(
  ', ',
)} WHERE id = ? AND tenant_id = ?`;

const headId = (tenantId: string, key: string) => `${tenantId}\u0000${key}`;

/** What the batch reads, under lock, before it decides anything. */
interface LockedState {
  tenants: Set<string>;
  updates: Map<string, { tenantId: string; status: string }>;
  heads: Map<string, number>;
}

async function lockState(
  transaction: SqlTransaction,
  dialect: SqlDialect,
  commands: readonly CommitCommand[],
): Promise<LockedState> {
  const tenantIds = [...new Set(commands.map((command) => command.update.tenantId))];
  const updateIds = [...new Set(commands.map((command) => command.update.id))];
  const keys = new Map<string, [string, string]>();
  for (const { update, append } of commands) {
    if (append !== undefined) keys.set(headId(update.tenantId, update.key), [update.tenantId, update.key]);
  }
  const state: LockedState = { tenants: new Set(), updates: new Map(), heads: new Map() };
  if (dialect.commitBatch !== undefined) {
    const { sql, parameters } = dialect.commitBatch.lock({ tenantIds, updateIds, headKeys: [...keys.values()] });
    for (const row of await transaction.all<CommitBatchLockedRow>(sql, parameters)) {
      if (row.kind === 'tenant') state.tenants.add(row.id);
      else if (row.kind === 'update') state.updates.set(row.id, { tenantId: row.tenant_id, status: row.status });
      else state.heads.set(headId(row.tenant_id, row.key), Number(row.version));
    }
    return state;
  }
  const tenantRows = await selectInChunks(tenantIds, (chunk) =>
    transaction.all<{ id: string }>(`SELECT id FROM tenants WHERE id IN (${chunk.map(() => '?').join(', ')})`, chunk),
  );
  const updateRows = await selectInChunks(updateIds, (chunk) =>
    transaction.all<{ id: string; tenant_id: string; status: string }>(
      `SELECT id, tenant_id, status FROM context_updates WHERE id IN (${chunk.map(() => '?').join(', ')})${dialect.lockForUpdate}`,
      chunk,
    ),
  );
  const headRows = await selectInChunks([...keys.values()], (chunk) => {
    const condition = dialect.keyPairsCondition('', chunk);
    return transaction.all<{ tenant_id: string; key: string; version: number }>(
      `SELECT tenant_id, key, version FROM context_heads WHERE ${condition.sql}${dialect.lockForUpdate}`,
      condition.parameters,
    );
  });
  for (const row of tenantRows) state.tenants.add(row.id);
  for (const row of updateRows) state.updates.set(row.id, { tenantId: row.tenant_id, status: row.status });
  for (const row of headRows) state.heads.set(headId(row.tenant_id, row.key), Number(row.version));
  return state;
}

/** Writes the rows of the decided commands: one statement when the dialect has one, else per table and chunk. */
async function writeRows(
  transaction: SqlTransaction,
  dialect: SqlDialect,
  rows: { [Table in keyof CommitBatchRows]: SqlParameter[][] },
): Promise<void> {
  const { versions, heads, newUpdates, changedUpdates } = rows;
  if (versions.length + heads.length + newUpdates.length + changedUpdates.length === 0) return;
  if (dialect.commitBatch !== undefined) {
    const { sql, parameters } = dialect.commitBatch.write(rows);
    await transaction.run(sql, parameters);
    return;
  }
  await insertRows(transaction, INSERT_VERSIONS, versions);
  await insertRows(transaction, UPSERT_HEADS, heads, UPSERT_HEADS_SUFFIX);
  await insertRows(transaction, INSERT_UPDATES, newUpdates);
  for (const row of changedUpdates) await transaction.run(REPLACE_UPDATE, row);
}

/** Decides one command against the state so far (and advances that state), or throws its own error. */
function decide(command: CommitCommand, state: LockedState, dialect: SqlDialect): { result: CommitResult; valueText?: string } {
  const { update, expectStatus, append } = command;
  if (!state.tenants.has(update.tenantId)) throw tenantNotFoundError(update.tenantId);
  const stored = state.updates.get(update.id);
  if (expectStatus === undefined) {
    if (stored !== undefined) throw updateExistsError(update.id);
  } else {
    if (stored === undefined || stored.tenantId !== update.tenantId) throw updateNotFoundError(update.id);
    if (stored.status !== expectStatus) throw updateStateChangedError(update.id, expectStatus as UpdateStatus, stored.status);
  }
  let version: ContextVersion | undefined;
  let valueText: string | undefined;
  if (append !== undefined) {
    const id = headId(update.tenantId, update.key);
    const current = state.heads.get(id) ?? null;
    if (current !== append.expectedCurrentVersion) throw versionConflictError(update.key, append.expectedCurrentVersion, current);
    const { draft } = append;
    // encodeValue is canonical JSON (SqlDialect), the text the writer already hashed: it need not be built twice.
    valueText = draft.deleted ? dialect.encodeValue(null) : (draft.valueText ?? dialect.encodeValue(draft.value));
    version = {
      tenantId: update.tenantId,
      key: update.key,
      version: (current ?? 0) + 1,
      value: JSON.parse(valueText),
      deleted: draft.deleted,
      contentHash: draft.contentHash,
      source: draft.source,
      author: draft.author,
      createdAt: draft.createdAt,
      parentVersion: current,
      updateId: update.id,
      ...(draft.tokenCounts === undefined || draft.deleted ? {} : { tokenCounts: draft.tokenCounts }),
    };
    state.heads.set(id, version.version);
  }
  const storedUpdate: ContextUpdate = version === undefined ? { ...update } : { ...update, appliedVersion: version.version };
  state.updates.set(update.id, { tenantId: update.tenantId, status: storedUpdate.status });
  return { result: version === undefined ? { update: storedUpdate } : { update: storedUpdate, version }, valueText };
}

/**
 * Many commits in one transaction, set-based: lock the tenants', updates' and heads' rows the batch touches
 * (one query each, or one in all with the dialect's `commitBatch`), decide every command in order against that
 * state (so later commands see earlier ones), then write all versions, heads and new updates with multi-row
 * statements (or the dialect's one statement). A command that fails its checks
 * gets its own error and writes nothing. A constraint violation during the writes means a concurrent
 * transaction won a race the locks could not cover (a key's first version); the whole batch then runs again.
 */
export async function executeCommitBatch(
  transaction: SqlTransaction,
  dialect: SqlDialect,
  commands: readonly CommitCommand[],
): Promise<CommitOutcome[]> {
  const state = await lockState(transaction, dialect, commands);
  const outcomes: CommitOutcome[] = [];
  const versionRows: SqlParameter[][] = [];
  const heads = new Map<string, SqlParameter[]>();
  const newUpdates: SqlParameter[][] = [];
  const changedUpdates: SqlParameter[][] = [];
  for (const command of commands) {
    let decided: ReturnType<typeof decide>;
    try {
      decided = decide(command, state, dialect);
    } catch (error) {
      outcomes.push({ ok: false, error: error as Error });
      continue;
    }
    const { result, valueText } = decided;
    const { version, update } = result;
    if (version !== undefined) {
      const deleted = version.deleted ? 1 : 0;
      versionRows.push([
        version.tenantId,
        version.key,
        version.version,
        valueText ?? 'null',
        deleted,
        version.contentHash,
        version.source,
        version.author,
        version.createdAt,
        version.parentVersion,
        version.updateId,
        version.tokenCounts?.o200k_base ?? null,
        version.tokenCounts?.cl100k_base ?? null,
      ]);
      heads.set(headId(version.tenantId, version.key), [
        version.tenantId,
        version.key,
        version.version,
        deleted,
        version.createdAt,
      ]);
    }
    const values = updateColumnValues(dialect, update);
    if (command.expectStatus === undefined) newUpdates.push([update.id, update.tenantId, ...values]);
    else changedUpdates.push([...values, update.id, update.tenantId]);
    outcomes.push({ ok: true, result });
  }
  try {
    await writeRows(transaction, dialect, { versions: versionRows, heads: [...heads.values()], newUpdates, changedUpdates });
  } catch (error) {
    if (error instanceof SqlConstraintViolation) throw new SqlTransactionConflict({ cause: error });
    throw error;
  }
  return outcomes;
}
