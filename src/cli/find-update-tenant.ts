import { NotFoundError } from '../core/errors.js';
import type { Engine } from '../engine.js';

const TENANT_PAGE = 200;

/**
 * The tenant an update belongs to, for commands that take only an update id. Update ids are unique across the
 * database; each page of tenants is probed with indexed point reads in parallel, so hundreds of tenants cost
 * one round of lookups per page.
 */
export async function findUpdateTenant(engine: Engine, updateId: string): Promise<string> {
  let cursor: string | undefined;
  do {
    const page = await engine.store.tenants.list({ cursor, limit: TENANT_PAGE });
    const found = await Promise.all(page.items.map((tenant) => engine.store.contexts.getUpdate(tenant.id, updateId)));
    const match = found.find((update) => update !== undefined);
    if (match !== undefined) return match.tenantId;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  throw new NotFoundError(`Update ${JSON.stringify(updateId)} does not exist in any tenant`, { code: 'update_not_found' });
}
