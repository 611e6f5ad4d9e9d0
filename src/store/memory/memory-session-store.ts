import type { SessionMessage, SessionState } from '../../core/session-message.js';
import type { SessionLimits, SessionMessageDraft, SessionStore } from '../session-store.js';
import { countToDrop, expiryOf } from '../session-trim.js';
import { tenantNotFoundError } from '../store-errors.js';

interface MemorySession {
  messages: SessionMessage[];
  generation: number;
  expiresAt: string;
}

/** Sessions in a map keyed by (tenant, session). An expired session keeps its generation counter until purged. */
export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, MemorySession>();
  readonly #tenantExists: (tenantId: string) => boolean;

  constructor(tenantExists: (tenantId: string) => boolean) {
    this.#tenantExists = tenantExists;
  }

  async append(
    tenantId: string,
    sessionId: string,
    drafts: SessionMessageDraft[],
    limits: SessionLimits,
    now: string,
  ): Promise<SessionState> {
    if (!this.#tenantExists(tenantId)) throw tenantNotFoundError(tenantId);
    const id = sessionKey(tenantId, sessionId);
    const existing = this.#sessions.get(id);
    const live = existing !== undefined && existing.expiresAt > now ? existing.messages : [];
    const messages = [...live, ...drafts.map((draft) => ({ ...structuredClone(draft), tenantId, sessionId }))];
    messages.splice(0, countToDrop(messages, limits));
    const session = { messages, generation: (existing?.generation ?? 0) + 1, expiresAt: expiryOf(now, limits.ttlMs) };
    this.#sessions.set(id, session);
    return toState(tenantId, sessionId, session);
  }

  async generation(tenantId: string, sessionId: string, now: string): Promise<number> {
    const session = this.#sessions.get(sessionKey(tenantId, sessionId));
    return session === undefined || session.expiresAt <= now ? 0 : session.generation;
  }

  async get(tenantId: string, sessionId: string, now: string): Promise<SessionState | undefined> {
    const session = this.#sessions.get(sessionKey(tenantId, sessionId));
    if (session === undefined || session.expiresAt <= now) return undefined;
    return toState(tenantId, sessionId, session);
  }

  async purgeExpired(before: string): Promise<number> {
    let removed = 0;
    for (const [id, session] of this.#sessions) {
      if (session.expiresAt < before) {
        this.#sessions.delete(id);
        removed += 1;
      }
    }
    return removed;
  }
}

function sessionKey(tenantId: string, sessionId: string): string {
  return JSON.stringify([tenantId, sessionId]);
}

function toState(tenantId: string, sessionId: string, session: MemorySession): SessionState {
  return {
    tenantId,
    sessionId,
    messages: structuredClone(session.messages),
    generation: session.generation,
    expiresAt: session.expiresAt,
  };
}
