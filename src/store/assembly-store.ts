import type { AssemblyRecord } from '../core/assembly.js';
import type { JsonValue } from '../core/json.js';

/** A snapshot of an item an assembly used, addressed by the sha256 of its canonical JSON. */
export interface AssemblyItemSnapshot {
  hash: string;
  payload: JsonValue;
}

/**
 * Assemblies as records: the manifest with the exact versions used, and content-addressed snapshots of the items
 * whose source may change or expire (session messages, journey completions, knowledge items), so a replay rebuilds
 * the identical text. Every method is scoped by tenant.
 */
export interface AssemblyStore {
  /**
   * Stores the record and its item snapshots (snapshots already stored are shared, not copied). Resolves once the
   * record is committed and readable, not necessarily on disk: records are written behind the answer, and SQL stores
   * commit them without waiting for an fsync (TransactionOptions.durable false).
   */
  save(record: AssemblyRecord, items: AssemblyItemSnapshot[]): Promise<void>;
  get(tenantId: string, id: string): Promise<AssemblyRecord | undefined>;
  /** The snapshots of these hashes that exist in the tenant. */
  getItems(tenantId: string, hashes: string[]): Promise<Map<string, JsonValue>>;
  /**
   * Removes assemblies created before `before`, and snapshots no assembly used since `itemsUsedBefore` (default
   * `before`; earlier when callers refresh a snapshot's use only now and then); returns the assemblies removed.
   */
  purge(before: string, itemsUsedBefore?: string): Promise<number>;
}
