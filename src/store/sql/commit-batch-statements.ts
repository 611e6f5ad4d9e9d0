/**
 * A dialect's set-based statements for a batch of context commits (`sql-commit-batch.ts`): one statement that reads
 * and locks every row the batch checks, one that writes every row it changes. Without them a batch runs one
 * statement per table (and per chunk of rows): on a database behind a network each statement is a round trip.
 */
export interface CommitBatchStatements {
  /**
   * Reads the tenants, and locks (`FOR UPDATE`) and reads the updates and heads, named here. Its rows are
   * `CommitBatchLockedRow`s: `kind` says which table a row comes from.
   */
  lock(request: CommitBatchLockRequest): CommitBatchStatement;
  /** Writes every row of the batch; rows are positional, in the column orders `CommitBatchRows` names. */
  write(rows: CommitBatchRows): CommitBatchStatement;
}

export interface CommitBatchStatement {
  sql: string;
  parameters: (string | readonly string[])[];
}

export interface CommitBatchLockRequest {
  tenantIds: readonly string[];
  updateIds: readonly string[];
  /** `(tenant_id, key)` of the heads to lock. */
  headKeys: readonly (readonly [string, string])[];
}

export type CommitBatchLockedRow =
  | { kind: 'tenant'; id: string }
  | { kind: 'update'; id: string; tenant_id: string; status: string }
  | { kind: 'head'; tenant_id: string; key: string; version: number };

export interface CommitBatchRows {
  /** `context_versions` rows in `CONTEXT_VERSION_COLUMNS` order (`value` as encoded JSON text). */
  versions: readonly (readonly unknown[])[];
  /** `context_heads` rows: tenant_id, key, version, deleted, updated_at; at most one per key. */
  heads: readonly (readonly unknown[])[];
  /** New `context_updates` rows: id, tenant_id, then `UPDATE_DATA_COLUMNS` (JSON columns as encoded text). */
  newUpdates: readonly (readonly unknown[])[];
  /** Replaced `context_updates` rows, in order: `UPDATE_DATA_COLUMNS`, then id, tenant_id. */
  changedUpdates: readonly (readonly unknown[])[];
}
