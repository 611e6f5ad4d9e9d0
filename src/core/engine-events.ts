import type { ContextUpdate } from './context-update.js';
import type { ContextVersion } from './context-version.js';
import type { Tenant } from './tenant.js';

/** Every event the engine emits, by name (`noun.verb`, past tense) and payload. */
export interface EngineEventMap {
  'tenant.created': { tenant: Tenant };
  'context.updated': { tenantId: string; key: string; version: ContextVersion; update: ContextUpdate };
  'update.proposed': { tenantId: string; update: ContextUpdate };
  'update.approved': { tenantId: string; update: ContextUpdate; version?: ContextVersion | undefined };
  'update.rejected': { tenantId: string; update: ContextUpdate };
  'update.conflicted': { tenantId: string; update: ContextUpdate };
}

export type EngineEventName = keyof EngineEventMap;
