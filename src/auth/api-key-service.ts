import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyRole } from '../core/api-key.js';
import { ValidationError } from '../core/errors.js';
import type { ApiKeyStore } from '../store/api-key-store.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { newId } from '../updates/ids.js';
import { parseWith } from '../validation/parse.js';
import { apiKeyRoleSchema, tenantIdSchema } from '../validation/schemas.js';

/** A newly created key: the token is shown once and only its hash is stored. */
export interface CreatedApiKey {
  record: ApiKeyRecord;
  /** `ctx_<id>_<secret>`: what clients send as `Authorization: Bearer <token>`. */
  token: string;
}

export interface ApiKeyService {
  create(input: { tenantId: string | null; role: ApiKeyRole; name?: string | undefined }): Promise<CreatedApiKey>;
  /** The key a token belongs to, or undefined when the token is unknown or wrong. */
  verify(token: string): Promise<ApiKeyRecord | undefined>;
  list(tenantId?: string): Promise<ApiKeyRecord[]>;
  revoke(id: string): Promise<boolean>;
  count(): Promise<number>;
}

const TOKEN_PATTERN = /^ctx_(key_[a-z0-9]+)_([A-Za-z0-9_-]{43})$/;

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function createApiKeyService(store: ApiKeyStore, tenants: TenantService): ApiKeyService {
  return {
    async create(input) {
      const role = parseWith(apiKeyRoleSchema, input.role, 'role');
      if (input.tenantId === null) {
        if (role !== 'admin') throw new ValidationError('A key for every tenant must have the admin role');
      } else {
        parseWith(tenantIdSchema, input.tenantId, 'tenant id');
        await tenants.require(input.tenantId);
      }
      const id = newId('key');
      const secret = randomBytes(32).toString('base64url');
      const record: ApiKeyRecord = {
        id,
        tenantId: input.tenantId,
        role,
        name: input.name ?? `${role} key`,
        secretHash: hashSecret(secret),
        createdAt: new Date().toISOString(),
      };
      await store.create(record);
      return { record, token: `ctx_${id}_${secret}` };
    },
    async verify(token) {
      const match = TOKEN_PATTERN.exec(token);
      if (!match) return undefined;
      const record = await store.get(match[1] as string);
      if (!record) return undefined;
      const expected = Buffer.from(record.secretHash, 'hex');
      const actual = Buffer.from(hashSecret(match[2] as string), 'hex');
      return expected.length === actual.length && timingSafeEqual(expected, actual) ? record : undefined;
    },
    list: (tenantId) => store.list(tenantId),
    revoke: (id) => store.delete(id),
    count: () => store.count(),
  };
}
