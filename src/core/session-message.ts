import type { JsonObject } from './json.js';
import type { TokenCounts } from './token-counts.js';

export const SESSION_ROLES = ['user', 'assistant', 'system', 'tool'] as const;
export type SessionRole = (typeof SESSION_ROLES)[number];

/** One message of a session (the session layer of seed 002). Immutable once written. */
export interface SessionMessage {
  id: string;
  tenantId: string;
  sessionId: string;
  role: SessionRole;
  content: string;
  metadata: JsonObject;
  /** Counted once, when the message was written. */
  tokens: TokenCounts;
  createdAt: string;
}

/** A session as the layer sees it: the kept messages (oldest first) and when it expires unless written again. */
export interface SessionState {
  tenantId: string;
  sessionId: string;
  messages: SessionMessage[];
  /** Changes on every write to the session (cache keys include it). */
  generation: number;
  expiresAt: string;
}
