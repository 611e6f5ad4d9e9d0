import type { ApiKeyService } from '../auth/api-key-service.js';

/** Whether any API key exists, re-read at most once per `ttlMs` (the CLI may create keys while the server runs). */
export interface KeyCountCache {
  hasKeys(): Promise<boolean>;
  /** The cached answer while it is fresh, else undefined (then call hasKeys). */
  peek(): boolean | undefined;
  /** Forget the cached answer (tests, after creating a key in-process). */
  invalidate(): void;
}

export function createKeyCountCache(apiKeys: ApiKeyService, ttlMs = 1000): KeyCountCache {
  let cached: { value: boolean; at: number } | undefined;
  let inFlight: Promise<boolean> | undefined;
  return {
    async hasKeys() {
      if (cached !== undefined && Date.now() - cached.at < ttlMs) return cached.value;
      if (inFlight === undefined) {
        inFlight = apiKeys
          .count()
          .then((count) => {
            cached = { value: count > 0, at: Date.now() };
            return count > 0;
          })
          .finally(() => {
            inFlight = undefined;
          });
      }
      return inFlight;
    },
    peek() {
      return cached !== undefined && Date.now() - cached.at < ttlMs ? cached.value : undefined;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
