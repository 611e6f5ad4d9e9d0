import { afterEach, beforeEach, expect } from 'vitest';
import { createServerHarness, type ServerHarness } from './server-harness.js';

export interface EmitAnswer {
  eventId: string;
  ref: string;
  context: Record<string, unknown>;
  deduplicated: boolean;
}

export type EmitOptions = { token?: string; headers?: Record<string, string> };

/**
 * For event route tests (call at the top of a file or describe): a fresh server harness with the tenants `acme` and
 * `globex` before each test, handed to `use`, closed after it. Returns `emit`, which posts an event to a tenant.
 */
export function useEventRouteHarness(use: (harness: ServerHarness) => void) {
  let current: ServerHarness | undefined;
  beforeEach(async () => {
    current = await createServerHarness();
    for (const id of ['acme', 'globex'])
      expect((await current.call('POST', '/v1/tenants', { body: { id } })).statusCode).toBe(201);
    use(current);
  });
  afterEach(() => current?.close());
  return async function emit(tenant: string, body: object, options: EmitOptions = {}) {
    if (current === undefined) throw new Error('emit works inside a test only');
    const response = await current.call('POST', `/v1/tenants/${tenant}/events`, { body, ...options });
    return { response, body: response.json() as EmitAnswer };
  };
}
