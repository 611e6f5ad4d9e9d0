import type { Redis } from 'ioredis';
import { cacheKey } from '../../cache/cache-key.js';
import { closeRedisConnection } from '../../cache/redis/redis-close.js';
import { connectOrDegrade, openRedisConnection } from '../../cache/redis/redis-connection.js';
import { errorMessage, isReplyError } from '../../cache/redis/redis-status.js';
import { BackendUnavailableError } from '../../core/errors.js';
import type { SessionMessage, SessionState } from '../../core/session-message.js';
import type { SessionLimits, SessionMessageDraft, SessionStore } from '../session-store.js';
import { expiryOf } from '../session-trim.js';
import { APPEND_SESSION_SCRIPT } from './redis-session-script.js';

export interface RedisSessionStoreOptions {
  url: string;
  /** Namespace of the session keys (default `ctx:session:`). */
  prefix?: string | undefined;
  /** How much longer than the messages a session's generation counter lives (default one day). */
  generationGraceMs?: number | undefined;
}

type SessionClient = Redis & {
  ctxAppendSession(list: string, head: string, ...args: Array<string | number>): Promise<[number, string[]]>;
};

/**
 * Sessions in Redis with native TTLs (seed 002: "Redis with 1-hour TTL"): one list per session, trimmed by a Lua
 * script in the same step as the append. Expiry is also checked against the caller's clock, so every backend
 * answers alike; Redis removes the keys by itself. The tenant is part of every key. An outage fails the call
 * (BackendUnavailableError): a message is never silently dropped, an unreachable session never reads as empty.
 */
export class RedisSessionStore implements SessionStore {
  readonly #client: SessionClient;
  readonly #prefix: string;
  readonly #graceMs: number;

  private constructor(client: SessionClient, options: RedisSessionStoreOptions) {
    this.#client = client;
    this.#prefix = options.prefix ?? 'ctx:session:';
    this.#graceMs = options.generationGraceMs ?? 86_400_000;
  }

  static async open(options: RedisSessionStoreOptions): Promise<RedisSessionStore> {
    const client = openRedisConnection({ url: options.url, connectionName: 'ctx-sessions' }) as SessionClient;
    client.on('error', () => {});
    client.defineCommand('ctxAppendSession', { numberOfKeys: 2, lua: APPEND_SESSION_SCRIPT });
    await connectOrDegrade(client, 2_000);
    return new RedisSessionStore(client, options);
  }

  async append(
    tenantId: string,
    sessionId: string,
    drafts: SessionMessageDraft[],
    limits: SessionLimits,
    now: string,
  ): Promise<SessionState> {
    const [list, head] = this.#keys(tenantId, sessionId);
    const expiresAt = expiryOf(now, limits.ttlMs);
    const elements = drafts.map((draft) => `${draft.tokens.o200k_base}|${JSON.stringify(draft)}`);
    const [generation, kept] = await this.#call(() =>
      this.#client.ctxAppendSession(
        list,
        head,
        now,
        limits.ttlMs,
        limits.ttlMs + this.#graceMs,
        limits.maxMessages,
        limits.maxTokens,
        expiresAt,
        ...elements,
      ),
    );
    return {
      tenantId,
      sessionId,
      messages: kept.map((element) => decode(tenantId, sessionId, element)),
      generation: Number(generation),
      expiresAt,
    };
  }

  async generation(tenantId: string, sessionId: string, now: string): Promise<number> {
    const [, head] = this.#keys(tenantId, sessionId);
    const [generation, expiresAt] = await this.#call(() => this.#client.hmget(head, 'generation', 'expiresAt'));
    return generation == null || expiresAt == null || expiresAt <= now ? 0 : Number(generation);
  }

  async get(tenantId: string, sessionId: string, now: string): Promise<SessionState | undefined> {
    const [list, head] = this.#keys(tenantId, sessionId);
    const result = await this.#call(() => this.#client.multi().hmget(head, 'generation', 'expiresAt').lrange(list, 0, -1).exec());
    const [headReply, listReply] = result ?? [];
    const [generation, expiresAt] = (headReply?.[1] ?? []) as Array<string | null>;
    if (generation == null || expiresAt == null || expiresAt <= now) return undefined;
    const elements = (listReply?.[1] ?? []) as string[];
    return {
      tenantId,
      sessionId,
      messages: elements.map((element) => decode(tenantId, sessionId, element)),
      generation: Number(generation),
      expiresAt,
    };
  }

  /** Redis removes expired sessions by itself (native TTL): nothing to purge. */
  async purgeExpired(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {
    await closeRedisConnection(this.#client);
  }

  #keys(tenantId: string, sessionId: string): [string, string] {
    // One hash tag per session: both keys land on the same Redis Cluster slot, as the script needs.
    const base = `${this.#prefix}{${cacheKey(tenantId, sessionId)}}`;
    return [`${base}:m`, `${base}:h`];
  }

  async #call<T>(command: () => Promise<T>): Promise<T> {
    if (this.#client.status !== 'ready')
      throw new BackendUnavailableError('Redis is unavailable: the session layer cannot be reached.');
    try {
      return await command();
    } catch (error) {
      if (isReplyError(error)) throw error;
      throw new BackendUnavailableError(`Redis is unavailable: ${errorMessage(error)}`, { cause: error });
    }
  }
}

function decode(tenantId: string, sessionId: string, element: string): SessionMessage {
  const draft = JSON.parse(element.slice(element.indexOf('|') + 1)) as SessionMessageDraft;
  return { ...draft, tenantId, sessionId };
}
