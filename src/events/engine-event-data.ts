import type { JsonValue } from '../core/json.js';

/** Nested objects whose identifying fields an engine event's data keeps (the payloads themselves can be large). */
const NESTED_FIELDS: Record<string, readonly string[]> = {
  tenant: ['id'],
  update: ['id', 'key', 'op', 'status', 'source', 'author', 'contentHash'],
  version: ['version', 'contentHash', 'deleted'],
  run: ['id', 'runId', 'status', 'currentPhase'],
};

function isScalar(value: unknown): value is string | number | boolean | null {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/**
 * The data an engine event (`update.approved`, `context.updated`, …) is recorded with: its scalar fields and the
 * identifying fields of its nested objects, never whole values (a context document can take a megabyte).
 */
export function engineEventData(payload: object): { [key: string]: JsonValue } {
  const data: { [key: string]: JsonValue } = {};
  for (const [field, value] of Object.entries(payload)) {
    if (isScalar(value)) data[field] = value;
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const picked: { [key: string]: JsonValue } = {};
      for (const name of NESTED_FIELDS[field] ?? ['id']) {
        const nested = (value as Record<string, unknown>)[name];
        if (isScalar(nested)) picked[name] = nested;
      }
      if (Object.keys(picked).length > 0) data[field] = picked;
    }
  }
  return data;
}

/** The tenant an engine event belongs to (`tenantId`, or `tenant.id` for `tenant.created`). */
export function engineEventTenant(payload: object): string | undefined {
  const record = payload as { tenantId?: unknown; tenant?: { id?: unknown } };
  if (typeof record.tenantId === 'string') return record.tenantId;
  if (typeof record.tenant?.id === 'string') return record.tenant.id;
  return undefined;
}
