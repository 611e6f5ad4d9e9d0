import type { ContextVersion } from '../core/context-version.js';

/** A version as the HTTP API and the CLI's `--json` show it (GET contexts/:key). */
export function versionBody(version: ContextVersion) {
  return {
    key: version.key,
    version: version.version,
    value: version.value,
    contentHash: version.contentHash,
    source: version.source,
    author: version.author,
    createdAt: version.createdAt,
    updateId: version.updateId,
    parentVersion: version.parentVersion,
    ...(version.deleted ? { deleted: true } : {}),
  };
}

/** A version without its value: what a write answers with. */
export function versionSummary(version: ContextVersion) {
  return {
    key: version.key,
    version: version.version,
    contentHash: version.contentHash,
    createdAt: version.createdAt,
    deleted: version.deleted,
  };
}
