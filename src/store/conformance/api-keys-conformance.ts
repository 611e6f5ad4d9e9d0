import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord } from '../../core/api-key.js';
import { type StoreConformanceOptions, useFreshStore } from './conformance-options.js';
import { expectError, instant, makeTenant } from './fixtures.js';

function makeKey(id: string, tenantId: string | null, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return { id, tenantId, role: 'writer', name: `key ${id}`, secretHash: `sha256-${id}`, createdAt: instant(0), ...overrides };
}

export function describeApiKeyConformance(options: StoreConformanceOptions): void {
  describe('api keys', () => {
    const store = useFreshStore(options);

    it('creates, reads, lists by tenant, counts and deletes keys', async () => {
      await store().tenants.create(makeTenant('acme'));
      await store().tenants.create(makeTenant('globex'));
      const keys = [
        makeKey('key_c', 'acme'),
        makeKey('key_a', 'acme', { role: 'reader' }),
        makeKey('key_b', 'globex'),
        makeKey('key_admin', null, { role: 'admin' }),
      ];
      for (const key of keys) expect(await store().apiKeys.create(key)).toEqual(key);
      expect(await store().apiKeys.get('key_a')).toEqual(keys[1]);
      expect(await store().apiKeys.get('key_missing')).toBeUndefined();
      expect((await store().apiKeys.list('acme')).map((key) => key.id)).toEqual(['key_a', 'key_c']);
      expect((await store().apiKeys.list()).map((key) => key.id)).toEqual(['key_a', 'key_admin', 'key_b', 'key_c']);
      expect(await store().apiKeys.count()).toBe(4);
      expect(await store().apiKeys.delete('key_a')).toBe(true);
      expect(await store().apiKeys.delete('key_a')).toBe(false);
      expect(await store().apiKeys.count()).toBe(3);
      expect(await store().apiKeys.get('key_a')).toBeUndefined();
    });

    it('refuses a taken id and an unknown tenant', async () => {
      await store().tenants.create(makeTenant('acme'));
      await store().apiKeys.create(makeKey('key_a', 'acme'));
      await expectError(store().apiKeys.create(makeKey('key_a', 'acme')), 'ConflictError', 'api_key_exists');
      await expectError(store().apiKeys.create(makeKey('key_b', 'nobody')), 'NotFoundError', 'tenant_not_found');
      expect(await store().apiKeys.count()).toBe(1);
    });
  });
}
