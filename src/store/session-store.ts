import type { JsonObject } from '../core/json.js';
import type { SessionMessage, SessionRole, SessionState } from '../core/session-message.js';
import type { TokenCounts } from '../core/token-counts.js';

/** A message to append; the store adds `tenantId` and `sessionId`. */
export interface SessionMessageDraft {
  id: string;
  role: SessionRole;
  content: string;
  metadata: JsonObject;
  tokens: TokenCounts;
  createdAt: string;
}

/** What a session keeps: the last `maxMessages`, at most `maxTokens` (o200k_base) together, for `ttlMs` after its last write. */
export interface SessionLimits {
  maxMessages: number;
  maxTokens: number;
  ttlMs: number;
}

/**
 * The session layer (seed 002): recent messages per (tenant, session), trimmed on every write (last N, then the
 * oldest while over the token cap), expiring `ttlMs` after the last write (a sliding TTL). Every method is scoped
 * by tenant. `now` (ISO-8601) is the caller's clock, so expiry is decided the same way on every backend.
 */
export interface SessionStore {
  /**
   * Appends `messages` in order, then trims; a session past its expiry starts empty again. Returns the session as
   * kept. `generation` grows on every append and never repeats for a (tenant, session), even after expiry.
   * NotFoundError `tenant_not_found` when the tenant does not exist (SQL backends; others trust the caller).
   */
  append(
    tenantId: string,
    sessionId: string,
    messages: SessionMessageDraft[],
    limits: SessionLimits,
    now: string,
  ): Promise<SessionState>;
  /** The live session, or undefined when it never existed or has expired. Reading does not extend the TTL. */
  get(tenantId: string, sessionId: string, now: string): Promise<SessionState | undefined>;
  /**
   * The live session's generation without its messages (0 when it never existed or has expired): what a cache key
   * needs, at the cost of one small read.
   */
  generation(tenantId: string, sessionId: string, now: string): Promise<number>;
  /** Forgets sessions that expired before `before` (ISO-8601); returns how many. */
  purgeExpired(before: string): Promise<number>;
}

export type { SessionMessage, SessionState };
