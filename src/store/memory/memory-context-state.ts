import type { ContextUpdate } from '../../core/context-update.js';
import type { ContextVersion } from '../../core/context-version.js';

/** The data behind the memory context store: versions per tenant and key, updates by (global) id. */
export class MemoryContextState {
  /** tenantId → key → versions, index i holding version i + 1. */
  readonly versions = new Map<string, Map<string, ContextVersion[]>>();
  readonly updates = new Map<string, ContextUpdate>();

  history(tenantId: string, key: string): ContextVersion[] | undefined {
    return this.versions.get(tenantId)?.get(key);
  }

  keysOf(tenantId: string): Map<string, ContextVersion[]> {
    let keys = this.versions.get(tenantId);
    if (keys === undefined) {
      keys = new Map();
      this.versions.set(tenantId, keys);
    }
    return keys;
  }

  /** The stored update when it belongs to `tenantId`. */
  update(tenantId: string, id: string): ContextUpdate | undefined {
    const update = this.updates.get(id);
    return update?.tenantId === tenantId ? update : undefined;
  }
}
