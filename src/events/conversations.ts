import type { EventContext } from '../core/event-context.js';
import { MAX_PAGE_LIMIT, type Page } from '../core/page.js';
import type { ContextGateway } from './context-gateway.js';
import { latestRecords, type RecordQuery, type RecordScope } from './latest-records.js';

export interface ChainLink {
  ref: string;
  event: string;
  eventId: string;
  agentId: string | null;
  timestamp: string;
}

export interface ConversationSummary {
  agentId: string;
  /** The session of the agent's latest event (null: that event has none). */
  sessionId: string | null;
  status: 'active_session' | 'idle' | 'no_events';
  /** The first reference of the agent in that session (of all its events when the latest has no session). */
  conversationStarted: string | null;
  /** The agent's events in that session, counted up to `maxChainLength` (a longer chain reports that number). */
  contextChainLength: number;
  /** The latest contexts of that session, oldest first (at most `limit`). */
  contexts: { ref: string; event: string; context: EventContext }[];
}

export interface ConversationsOptions {
  /** The most events `contextChainLength` counts (one page of 500 per query). Default 10,000. */
  maxChainLength?: number | undefined;
}

/** A session is active while its agent's last event is younger than this. */
const ACTIVE_FOR_MS = 30 * 60 * 1000;
const DEFAULT_MAX_CHAIN_LENGTH = 10_000;
const DEFAULT_CONTEXTS = 20;

/** Conversation continuity (seed 004): the chain of references of a session, and a resolved summary per agent. */
export class Conversations {
  readonly #gateway: Pick<ContextGateway, 'query'>;
  readonly #maxChainLength: number;

  constructor(gateway: Pick<ContextGateway, 'query'>, options: ConversationsOptions = {}) {
    this.#gateway = gateway;
    this.#maxChainLength = Math.max(1, options.maxChainLength ?? DEFAULT_MAX_CHAIN_LENGTH);
  }

  async sessionChain(
    tenantId: string,
    sessionId: string,
    page: { cursor?: string; limit?: number } = {},
  ): Promise<Page<ChainLink>> {
    const result = await this.#gateway.query(tenantId, { sessionId, ...page });
    return {
      items: result.items.map(({ ref, event, context }) => ({
        ref,
        event,
        eventId: context.eventId,
        agentId: context.agentId,
        timestamp: context.timestamp,
      })),
      nextCursor: result.nextCursor,
    };
  }

  /** The agent's latest session: found from its newest event, however many events it has. */
  async agentConversation(
    tenantId: string,
    agentId: string,
    options: { limit?: number; now?: number } = {},
  ): Promise<ConversationSummary> {
    const query: RecordQuery = (recordQuery) => this.#gateway.query(tenantId, recordQuery);
    const now = options.now ?? Date.now();
    const [last] = await latestRecords(query, { agentId }, 1, now);
    if (last === undefined) {
      return { agentId, sessionId: null, status: 'no_events', conversationStarted: null, contextChainLength: 0, contexts: [] };
    }
    const sessionId = last.context.sessionId;
    // the store cannot filter on a missing session: without one, the summary covers all the agent's events
    const scope: RecordScope = sessionId === null ? { agentId } : { agentId, sessionId };
    const limit = Math.max(1, Math.min(options.limit ?? DEFAULT_CONTEXTS, MAX_PAGE_LIMIT));
    const [latest, chain] = await Promise.all([latestRecords(query, scope, limit, now), this.#chainOf(query, scope)]);
    const active = now - Date.parse(last.context.timestamp) < ACTIVE_FOR_MS;
    return {
      agentId,
      sessionId,
      status: active ? 'active_session' : 'idle',
      conversationStarted: chain.started,
      contextChainLength: chain.length,
      contexts: latest.map(({ ref, event, context }) => ({ ref, event, context })),
    };
  }

  /** The first reference of a scope and how many records it holds (counted up to the maximum). */
  async #chainOf(query: RecordQuery, scope: RecordScope): Promise<{ started: string | null; length: number }> {
    let started: string | null = null;
    let length = 0;
    let cursor: string | undefined;
    do {
      const page = await query({ ...scope, cursor, limit: Math.min(MAX_PAGE_LIMIT, this.#maxChainLength - length) });
      started ??= page.items[0]?.ref ?? null;
      length += page.items.length;
      cursor = page.nextCursor;
    } while (cursor !== undefined && length < this.#maxChainLength);
    return { started, length };
  }
}
