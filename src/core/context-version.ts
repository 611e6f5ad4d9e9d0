import type { JsonValue } from './json.js';
import type { TokenCounts } from './token-counts.js';
import type { UpdateSource } from './update-source.js';

/** One immutable version of a context document. A tombstone (`deleted`) has a null value. */
export interface ContextVersion {
  tenantId: string;
  key: string;
  /** 1, 2, 3 … per key. */
  version: number;
  value: JsonValue;
  deleted: boolean;
  /** sha256 (hex) of the canonical JSON (RFC 8785) of the value. */
  contentHash: string;
  source: UpdateSource;
  author: string;
  createdAt: string;
  parentVersion: number | null;
  /** The update that produced this version. */
  updateId: string;
  /**
   * Tokens of the value as the assembler renders it (its canonical JSON), per encoding, counted once when the version
   * was written. Absent on tombstones and on versions written before migration 0012 (or by a store without counts).
   */
  tokenCounts?: TokenCounts | undefined;
}

/** A key and its current (non-deleted) version, as listed. */
export interface ContextKeySummary {
  key: string;
  version: number;
  updatedAt: string;
}

export interface ContextStats {
  documents: number;
  versions: number;
  pendingUpdates: number;
  lastUpdateAt: string | null;
  updatesBySource: Partial<Record<string, number>>;
}
