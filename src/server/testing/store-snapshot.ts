import type { Engine } from '../../engine.js';

/** Everything a tenant's store holds that an API call could change, as one comparable JSON string. */
export async function storeSnapshot(engine: Engine): Promise<string> {
  const tenants = (await engine.tenants.list({ limit: 500 })).items;
  const parts: unknown[] = [];
  for (const tenant of tenants) {
    const keys = (await engine.contexts.list(tenant.id, { limit: 500 })).items;
    const histories = [];
    for (const { key } of keys) histories.push((await engine.contexts.history(tenant.id, key, { limit: 500 })).items);
    const updates = (await engine.updates.list({ tenantIds: [tenant.id], limit: 500 })).items;
    parts.push({ tenant, status: await engine.contexts.status(tenant.id), histories, updates });
  }
  return JSON.stringify(parts);
}
