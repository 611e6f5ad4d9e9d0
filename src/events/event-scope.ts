import { AsyncLocalStorage } from 'node:async_hooks';
import { NotFoundError } from '../core/errors.js';
import type { EventContext } from '../core/event-context.js';

/**
 * What the next event emitted in this async scope descends from: an event being handled, a request that arrived
 * (with or without a `traceparent`), or a context handed over explicitly. Children get `eventId` as their parent,
 * `rootEventId` (or `eventId`, or themselves) as their root, `depth + 1`, and the same correlation and trace.
 */
export interface ParentLink {
  tenantId: string | undefined;
  /** The parent event's id; null in a request scope before any event (children are then roots). */
  eventId: string | null;
  rootEventId: string | null;
  correlationId: string;
  /** The parent's depth; -1 in a request scope without a parent event (children get depth 0). */
  depth: number;
  traceId: string;
  agentId: string | null;
  clientId: string | null;
  sessionId: string | null;
  originator: string | null;
  /**
   * On a request scope whose trace the server made up (no `traceparent`); `correlation` when its correlation id was
   * made up too. An event whose id the caller chose then derives them from that id instead, so that a retried
   * request emits the identical context (see derived-ids.ts).
   */
  invented?: { correlation: boolean } | undefined;
}

/**
 * What a new event reads of its parent: a link without its tenant. An explicit parent's EventContext has these
 * fields, so the router reads it as it is instead of copying it into a link on every emit.
 */
export type ParentFields = Omit<ParentLink, 'tenantId'>;

export interface EventScope {
  link: ParentLink;
  /** Set while a handler of a stored event runs. */
  context?: EventContext | undefined;
}

const storage = new AsyncLocalStorage<EventScope>();

/** The link a child of `context` (in `tenantId`) inherits. */
export function linkOf(tenantId: string, context: EventContext): ParentLink {
  return {
    tenantId,
    eventId: context.eventId,
    rootEventId: context.rootEventId,
    correlationId: context.correlationId,
    depth: context.depth,
    traceId: context.traceId,
    agentId: context.agentId,
    clientId: context.clientId,
    sessionId: context.sessionId,
    originator: context.originator,
  };
}

/** Runs `work` with `scope` as the implicit parent of every event emitted inside it (await, timers, fan-out included). */
export function runInEventScope<T>(scope: EventScope, work: () => T): T {
  return storage.run(scope, work);
}

/** The implicit scope of the current async execution, if any. */
export function currentEventScope(): EventScope | undefined {
  return storage.getStore();
}

/** The context of the event being handled; undefined outside a handler. */
export function tryGetEventContext(): EventContext | undefined {
  return storage.getStore()?.context;
}

/** The context of the event being handled; throws outside a handler. */
export function getEventContext(): EventContext {
  const context = tryGetEventContext();
  if (context === undefined) {
    throw new NotFoundError('No event context here: getEventContext() works inside an event handler (or work it started).', {
      code: 'no_event_context',
    });
  }
  return context;
}
