import { createHash } from 'node:crypto';
import type { ApiKeyService } from '../auth/api-key-service.js';
import type { ApiKeyRecord } from '../core/api-key.js';

/** Verifies bearer tokens, remembering good ones for `ttlMs` so a busy client costs one store read per second. */
export interface KeyVerifier {
  verify(token: string): Promise<ApiKeyRecord | undefined>;
  /** The remembered record of a token while it is fresh, else undefined (then call verify). */
  peek(token: string): ApiKeyRecord | undefined;
  /** Forget every remembered key (tests; after revoking a key in-process). */
  clear(): void;
}

const MAX_ENTRIES = 10_000;

export function createKeyVerifier(apiKeys: ApiKeyService, ttlMs = 1000): KeyVerifier {
  // Keyed by a digest, so raw tokens are never kept in memory longer than the request.
  const verified = new Map<string, { record: ApiKeyRecord; at: number }>();
  const digestOf = (token: string) => createHash('sha256').update(token, 'utf8').digest('base64url');
  function fresh(digest: string): ApiKeyRecord | undefined {
    const cached = verified.get(digest);
    return cached !== undefined && Date.now() - cached.at < ttlMs ? cached.record : undefined;
  }
  return {
    async verify(token) {
      const digest = digestOf(token);
      const cached = fresh(digest);
      if (cached !== undefined) return cached;
      const record = await apiKeys.verify(token);
      if (record === undefined) {
        verified.delete(digest);
        return undefined;
      }
      if (verified.size >= MAX_ENTRIES) verified.clear();
      verified.set(digest, { record, at: Date.now() });
      return record;
    },
    peek(token) {
      return fresh(digestOf(token));
    },
    clear() {
      verified.clear();
    },
  };
}
