import type { EventContext } from '../core/event-context.js';
import type { Page } from '../core/page.js';
import type { ContextGateway } from './context-gateway.js';

export interface ChainLink {
  ref: string;
  event: string;
  eventId: string;
  agentId: string | null;
  timestamp: string;
}

export interface ConversationSummary {
  agentId: string;
  /** The session of the agent's latest event. */
  sessionId: string | null;
  status: 'active_session' | 'idle' | 'no_events';
  conversationStarted: string | null;
  contextChainLength: number;
  /** The latest contexts, oldest first (at most `limit`). */
  contexts: { ref: string; event: string; context: EventContext }[];
}

/** A session is active while its agent's last event is younger than this. */
const ACTIVE_FOR_MS = 30 * 60 * 1000;
const SCAN_LIMIT = 500;

/** Conversation continuity (seed 004): the chain of references of a session, and a resolved summary per agent. */
export class Conversations {
  readonly #gateway: ContextGateway;

  constructor(gateway: ContextGateway) {
    this.#gateway = gateway;
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

  async agentConversation(
    tenantId: string,
    agentId: string,
    options: { limit?: number; now?: number } = {},
  ): Promise<ConversationSummary> {
    const records = [];
    let cursor: string | undefined;
    do {
      const page = await this.#gateway.query(tenantId, { agentId, cursor, limit: SCAN_LIMIT });
      records.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== undefined && records.length < 10 * SCAN_LIMIT);
    const last = records[records.length - 1];
    const limit = Math.max(1, Math.min(options.limit ?? 20, SCAN_LIMIT));
    const active = last !== undefined && (options.now ?? Date.now()) - Date.parse(last.context.timestamp) < ACTIVE_FOR_MS;
    return {
      agentId,
      sessionId: last?.context.sessionId ?? null,
      status: last === undefined ? 'no_events' : active ? 'active_session' : 'idle',
      conversationStarted: records[0]?.ref ?? null,
      contextChainLength: records.length,
      contexts: records.slice(-limit).map(({ ref, event, context }) => ({ ref, event, context })),
    };
  }
}
