import type { ContextVersion } from '../../core/context-version.js';
import type { CommitCommand, CommitResult } from '../context-store.js';
import {
  tenantNotFoundError,
  updateExistsError,
  updateNotFoundError,
  updateStateChangedError,
  versionConflictError,
} from '../store-errors.js';
import type { MemoryContextState } from './memory-context-state.js';

/**
 * Applies one commit to the memory state. Synchronous on purpose: every check and every mutation happens
 * in one turn of the event loop, so concurrent async callers can never interleave inside a commit.
 * All checks run before the first mutation, so a failed commit changes nothing.
 */
export function applyMemoryCommit(
  state: MemoryContextState,
  command: CommitCommand,
  tenantExists: (tenantId: string) => boolean,
): CommitResult {
  const update = structuredClone(command.update);
  if (!tenantExists(update.tenantId)) throw tenantNotFoundError(update.tenantId);
  if (command.expectStatus === undefined) {
    if (state.updates.has(update.id)) throw updateExistsError(update.id);
  } else {
    const stored = state.update(update.tenantId, update.id);
    if (stored === undefined) throw updateNotFoundError(update.id);
    if (stored.status !== command.expectStatus) {
      throw updateStateChangedError(update.id, command.expectStatus, stored.status);
    }
  }
  let version: ContextVersion | undefined;
  if (command.append !== undefined) {
    const history = state.history(update.tenantId, update.key);
    const currentVersion = history === undefined ? null : history.length;
    const expected = command.append.expectedCurrentVersion;
    if (currentVersion !== expected) throw versionConflictError(update.key, expected, currentVersion);
    const draft = structuredClone(command.append.draft);
    version = {
      tenantId: update.tenantId,
      key: update.key,
      version: (currentVersion ?? 0) + 1,
      value: draft.deleted ? null : draft.value,
      deleted: draft.deleted,
      contentHash: draft.contentHash,
      source: draft.source,
      author: draft.author,
      createdAt: draft.createdAt,
      parentVersion: currentVersion,
      updateId: update.id,
      ...(draft.tokenCounts === undefined || draft.deleted ? {} : { tokenCounts: draft.tokenCounts }),
    };
    update.appliedVersion = version.version;
    if (history === undefined) state.keysOf(update.tenantId).set(update.key, [version]);
    else history.push(version);
  }
  state.updates.set(update.id, update);
  return version === undefined
    ? { update: structuredClone(update) }
    : { update: structuredClone(update), version: structuredClone(version) };
}
