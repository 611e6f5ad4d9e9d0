import type { ContextUpdate } from '../../core/context-update.js';
import type { ContextVersion } from '../../core/context-version.js';
import type { CommitCommand, CommitResult } from '../context-store.js';
import {
  tenantNotFoundError,
  updateExistsError,
  updateNotFoundError,
  updateStateChangedError,
  versionConflictError,
} from '../store-errors.js';
import { UPDATE_DATA_COLUMNS, updateColumnValues } from './context-update-row.js';
import { CONTEXT_VERSION_COLUMNS } from './context-version-row.js';
import { rethrowConstraint } from './sql-constraint-violation.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlTransaction } from './sql-executor.js';

const INSERT_UPDATE = `INSERT INTO context_updates (id, tenant_id, ${UPDATE_DATA_COLUMNS.join(', ')}) VALUES (${Array(
  UPDATE_DATA_COLUMNS.length + 2,
)
  .fill('?')
  .join(', ')})`;
const REPLACE_UPDATE = `UPDATE context_updates SET ${UPDATE_DATA_COLUMNS.map((column) => `${column} = ?`).join(
  ', ',
)} WHERE id = ? AND tenant_id = ?`;
const INSERT_VERSION = `INSERT INTO context_versions (${CONTEXT_VERSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const UPSERT_HEAD =
  'INSERT INTO context_heads (tenant_id, key, version, deleted, updated_at) VALUES (?, ?, ?, ?, ?) ' +
  'ON CONFLICT (tenant_id, key) DO UPDATE SET version = excluded.version, deleted = excluded.deleted, ' +
  'updated_at = excluded.updated_at';

/**
 * One commit inside a write transaction (and its own savepoint): checks the update's status and the key's
 * current version under the write lock, then writes the version, the head and the update. Any failure
 * throws, and the savepoint undoes whatever this commit wrote.
 */
export async function executeCommit(
  transaction: SqlTransaction,
  dialect: SqlDialect,
  command: CommitCommand,
): Promise<CommitResult> {
  const { update, expectStatus, append } = command;
  // A taken id (on insert) surfaces as a unique violation below; the savepoint then undoes the version.
  if (expectStatus !== undefined) {
    const stored = await transaction.get<{ status: string }>(
      `SELECT status FROM context_updates WHERE id = ? AND tenant_id = ?${dialect.lockForUpdate}`,
      [update.id, update.tenantId],
    );
    if (stored === undefined) throw updateNotFoundError(update.id);
    if (stored.status !== expectStatus) throw updateStateChangedError(update.id, expectStatus, stored.status);
  }
  let version: ContextVersion | undefined;
  let storedUpdate: ContextUpdate = { ...update };
  if (append !== undefined) {
    version = await appendVersion(transaction, dialect, update, append);
    storedUpdate = { ...update, appliedVersion: version.version };
  }
  const values = updateColumnValues(dialect, storedUpdate);
  try {
    if (expectStatus === undefined) await transaction.run(INSERT_UPDATE, [update.id, update.tenantId, ...values]);
    else await transaction.run(REPLACE_UPDATE, [...values, update.id, update.tenantId]);
  } catch (error) {
    rethrowConstraint(error, {
      unique: () => updateExistsError(update.id),
      foreign_key: () => tenantNotFoundError(update.tenantId),
    });
  }
  return version === undefined ? { update: storedUpdate } : { update: storedUpdate, version };
}

async function appendVersion(
  transaction: SqlTransaction,
  dialect: SqlDialect,
  update: ContextUpdate,
  append: NonNullable<CommitCommand['append']>,
): Promise<ContextVersion> {
  const head = await transaction.get<{ version: number }>(
    `SELECT version FROM context_heads WHERE tenant_id = ? AND key = ?${dialect.lockForUpdate}`,
    [update.tenantId, update.key],
  );
  const currentVersion = head?.version ?? null;
  if (currentVersion !== append.expectedCurrentVersion) {
    throw versionConflictError(update.key, append.expectedCurrentVersion, currentVersion);
  }
  const { draft } = append;
  const valueText = dialect.encodeValue(draft.deleted ? null : draft.value);
  const version: ContextVersion = {
    tenantId: update.tenantId,
    key: update.key,
    version: (currentVersion ?? 0) + 1,
    value: JSON.parse(valueText),
    deleted: draft.deleted,
    contentHash: draft.contentHash,
    source: draft.source,
    author: draft.author,
    createdAt: draft.createdAt,
    parentVersion: currentVersion,
    updateId: update.id,
  };
  const deleted = version.deleted ? 1 : 0;
  try {
    await transaction.run(INSERT_VERSION, [
      version.tenantId,
      version.key,
      version.version,
      valueText,
      deleted,
      version.contentHash,
      version.source,
      version.author,
      version.createdAt,
      version.parentVersion,
      version.updateId,
    ]);
    await transaction.run(UPSERT_HEAD, [version.tenantId, version.key, version.version, deleted, version.createdAt]);
  } catch (error) {
    rethrowConstraint(error, {
      // Only reachable where another writer raced past the head lock (a first version in PostgreSQL).
      unique: () => versionConflictError(update.key, append.expectedCurrentVersion, version.version),
      foreign_key: () => tenantNotFoundError(update.tenantId),
    });
  }
  return version;
}
