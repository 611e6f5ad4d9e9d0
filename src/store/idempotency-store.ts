/** A remembered answer to a request that carried an `Idempotency-Key`. */
export interface IdempotencyRecord {
  /** Who may replay it: the tenant or the API key identity, so keys never collide across callers. */
  scope: string;
  key: string;
  /** sha256 of method + path + body: a replay with another body is refused. */
  requestHash: string;
  /** null while the first request is still running. */
  response: { statusCode: number; headers: Record<string, string>; body: string } | null;
  createdAt: string;
}

export type ClaimResult = { claimed: true } | { claimed: false; existing: IdempotencyRecord };

export interface IdempotencyStore {
  /** Atomically records the key as in progress, or returns the record already there. */
  claim(scope: string, key: string, requestHash: string, createdAt: string): Promise<ClaimResult>;
  complete(scope: string, key: string, response: NonNullable<IdempotencyRecord['response']>): Promise<void>;
  /** Forgets a claim whose request failed, so it can be retried. */
  release(scope: string, key: string): Promise<void>;
  /** Removes records created before `before` (ISO-8601); returns how many. */
  purge(before: string): Promise<number>;
}
