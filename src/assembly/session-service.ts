import { randomUUID } from 'node:crypto';
import { ValidationError } from '../core/errors.js';
import type { JsonObject } from '../core/json.js';
import type { SessionState } from '../core/session-message.js';
import type { SessionLimits, SessionMessageDraft, SessionStore } from '../store/session-store.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { parseWith } from '../validation/parse.js';
import { tenantIdSchema } from '../validation/schemas.js';
import { appendMessagesSchema, type SessionMessageInput, sessionIdSchema } from './session-schemas.js';
import type { TokenizerSet } from './tokenizer.js';

/** The session layer: recent messages per (tenant, session), trimmed and expiring as configured. */
export interface SessionService {
  /** Appends messages (tokens counted here, once); returns the session as kept. */
  append(tenantId: string, sessionId: string, messages: SessionMessageInput[]): Promise<SessionState>;
  /** The live session; an unknown or expired one reads as empty (generation 0). */
  get(tenantId: string, sessionId: string): Promise<SessionState>;
  /** The live session's generation (0: unknown or expired), without reading its messages. */
  generation(tenantId: string, sessionId: string): Promise<number>;
  /** Forgets sessions expired for longer than `graceMs` (default one hour, beyond any cached assembly). */
  purgeExpired(graceMs?: number): Promise<number>;
  readonly limits: Readonly<SessionLimits>;
}

export interface SessionServiceOptions {
  store: SessionStore;
  tenants: TenantService;
  tokenizers: TokenizerSet;
  limits: SessionLimits;
  now?: (() => number) | undefined;
}

export function createSessionService(options: SessionServiceOptions): SessionService {
  const { store, tenants, tokenizers } = options;
  const limits = Object.freeze({ ...options.limits });
  const clock = options.now ?? Date.now;

  async function scope(tenantId: string, sessionId: string): Promise<void> {
    parseWith(tenantIdSchema, tenantId, 'tenant id');
    parseWith(sessionIdSchema, sessionId, 'session id');
    await tenants.require(tenantId);
  }

  return {
    limits,
    async append(tenantId, sessionId, messages) {
      const parsed = parseWith(appendMessagesSchema, { messages }, 'session messages').messages;
      await scope(tenantId, sessionId);
      const now = new Date(clock()).toISOString();
      const drafts: SessionMessageDraft[] = parsed.map((message, index) => {
        const tokens = tokenizers.countAll(message.content);
        if (tokens.o200k_base > limits.maxTokens) {
          throw new ValidationError(
            `messages[${index}] has ${tokens.o200k_base} tokens, more than the session keeps (${limits.maxTokens}).`,
            { code: 'session_message_too_large', details: { index, tokens: tokens.o200k_base, maxTokens: limits.maxTokens } },
          );
        }
        return {
          id: `msg_${randomUUID()}`,
          role: message.role,
          content: message.content,
          metadata: message.metadata as JsonObject,
          tokens,
          createdAt: message.createdAt === undefined ? now : new Date(message.createdAt).toISOString(),
        };
      });
      return store.append(tenantId, sessionId, drafts, limits, now);
    },
    async get(tenantId, sessionId) {
      await scope(tenantId, sessionId);
      const now = new Date(clock()).toISOString();
      const state = await store.get(tenantId, sessionId, now);
      return state ?? { tenantId, sessionId, messages: [], generation: 0, expiresAt: now };
    },
    async generation(tenantId, sessionId) {
      await scope(tenantId, sessionId);
      return store.generation(tenantId, sessionId, new Date(clock()).toISOString());
    },
    purgeExpired(graceMs = 3_600_000) {
      return store.purgeExpired(new Date(clock() - graceMs).toISOString());
    },
  };
}
