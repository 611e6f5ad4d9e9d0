import { ValidationError } from '../core/errors.js';
import type { EventContext, EventRecord } from '../core/event-context.js';
import type { JsonValue } from '../core/json.js';
import type { ColdWriter } from './cold-writer.js';
import { contextRefOf } from './context-ref.js';
import { ContextRefParts } from './context-ref-parts.js';
import type { CustomTextOut } from './custom-fields.js';
import type { EmitContextInput, EmitOptions } from './emit-input.js';
import { assertEventName } from './emit-input.js';
import type { EventCounters } from './event-counters.js';
import { assertEventData } from './event-data.js';
import { linkOf, type ParentFields, runInEventScope } from './event-scope.js';
import type { HotTier } from './hot-tier/hot-tier.js';
import { type Lineage, lineageOf, newContext } from './new-context.js';

/** A handler gets the event's data and context (the explicit path); events it emits become children (implicit path). */
export type EventHandler = (data: JsonValue | null, context: EventContext, record: EventRecord) => unknown;
/** A stream listener (WebSocket subscriptions, fan-out) sees every stored event, outside any event scope. */
export type EventListener = (record: EventRecord) => void;
export type EventHandlerErrorListener = (error: unknown, record: EventRecord) => void;

export interface EmittedEvent extends EventRecord {
  eventId: string;
  /** True when an identical context was already stored (the same reference is returned). */
  deduplicated: boolean;
}

export interface EventRouterOptions {
  hot: HotTier;
  cold: ColdWriter;
  counters: EventCounters;
  /** Throws NotFoundError for an unknown tenant. */
  requireTenant: (tenantId: string) => Promise<void>;
  /** Deepest event allowed (default 32): a deeper emit fails and records `event.depth_exceeded`. */
  maxDepth?: number | undefined;
  maxCustomBytes?: number | undefined;
  maxDataBytes?: number | undefined;
  defaultDurability?: EmitOptions['durability'];
}

export const DEPTH_EXCEEDED_EVENT = 'event.depth_exceeded';

/** The defaults of an emit's optional arguments: only read, so one frozen object each instead of one per emit. */
const NO_INPUT: EmitContextInput = Object.freeze({});
const NO_OPTIONS: EmitOptions = Object.freeze({});

/**
 * The event router (seed 004): `emit` builds the event's context from its parent (explicit `parent`, a
 * `traceparent`, or the AsyncLocalStorage scope of the handler or request it runs in), stores it once (hot tier
 * now, cold tier batched or acknowledged), and runs the handlers inside the new event's scope.
 */
export class EventRouter {
  readonly #options: EventRouterOptions;
  readonly #maxDepth: number;
  readonly #handlers = new Map<string, Set<EventHandler>>();
  readonly #listeners = new Set<EventListener>();
  readonly #errorListeners = new Set<EventHandlerErrorListener>();
  /** Tenants are never deleted: once one is known to exist, emits skip the (async) check. */
  readonly #knownTenants = new Set<string>();

  readonly #maxCustomBytes: number;
  readonly #maxDataBytes: number;
  /** Where newContext leaves the canonical text of an emit's custom fields (computed once, for ref and hot tier). */
  readonly #customText: CustomTextOut = { text: '{}' };
  /** Where contextRefOf leaves an emit's reference with its prefix and hash words (the hot tier stores those). */
  readonly #refParts = new ContextRefParts();
  /** The listeners as an array, replaced (never changed) when one subscribes or leaves: dispatch copies nothing. */
  #listenerList: readonly EventListener[] = [];

  constructor(options: EventRouterOptions) {
    this.#options = options;
    this.#maxDepth = options.maxDepth ?? 32;
    this.#maxCustomBytes = options.maxCustomBytes ?? 16 * 1024;
    this.#maxDataBytes = options.maxDataBytes ?? 1024 * 1024;
  }

  get maxDepth(): number {
    return this.#maxDepth;
  }

  /**
   * Not an `async` function: an emit that needs no I/O (a known tenant, buffered, no backpressure) returns an
   * already-resolved promise without an async frame, which matters at 100,000 emits a second (each async frame and
   * await costs promise hooks under AsyncLocalStorage). Errors still surface as rejected promises, never as throws.
   */
  emit(
    name: string,
    data: unknown = null,
    input: EmitContextInput = NO_INPUT,
    options: EmitOptions = NO_OPTIONS,
  ): Promise<EmittedEvent> {
    try {
      assertEventName(name);
      const lineage = lineageOf(input);
      const payload = assertEventData(data, this.#maxDataBytes);
      if (!this.#knownTenants.has(lineage.tenantId)) return this.#emitInNewTenant(name, payload, input, options, lineage);
      return this.#emitKnown(name, payload, input, options, lineage);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The first emit of a tenant waits for the (async) check that it exists; later ones skip it. */
  async #emitInNewTenant(
    name: string,
    payload: JsonValue | null,
    input: EmitContextInput,
    options: EmitOptions,
    lineage: Lineage,
  ): Promise<EmittedEvent> {
    await this.#options.requireTenant(lineage.tenantId);
    this.#knownTenants.add(lineage.tenantId);
    return this.#emitKnown(name, payload, input, options, lineage);
  }

  /** Builds, stores and dispatches the event (may throw: the caller turns that into a rejection). */
  #emitKnown(
    name: string,
    payload: JsonValue | null,
    input: EmitContextInput,
    options: EmitOptions,
    { tenantId, link }: Lineage,
  ): Promise<EmittedEvent> {
    if (link !== undefined && link.depth + 1 > this.#maxDepth) return this.#depthExceeded(tenantId, name, link);
    const context = newContext(tenantId, input, link, this.#maxCustomBytes, this.#customText);
    // read at once: nothing runs between newContext and here that could emit (and so overwrite it)
    const customText = this.#customText.text;
    const ref = contextRefOf(tenantId, name, context, customText, this.#refParts);
    const record: EventRecord = { tenantId, ref, event: name, context, data: payload };
    const durability = options.durability ?? this.#options.defaultDurability ?? 'buffered';
    // nothing has run since contextRefOf filled #refParts (and hot.insert checks that they are this ref's)
    const deduplicated = this.#store(record, durability, customText, this.#refParts);
    if (durability === 'acknowledged') return this.#options.cold.write(record).then(() => this.#dispatched(record, deduplicated));
    // backpressure: an emitter faster than the cold tier waits for a write instead of growing the buffer without end
    if (this.#options.cold.congested) return this.#options.cold.flush().then(() => this.#dispatched(record, deduplicated));
    return Promise.resolve(this.#dispatched(record, deduplicated));
  }

  /** Runs listeners and handlers of a stored event and returns it as the emitter sees it. */
  #dispatched(record: EventRecord, deduplicated: boolean): EmittedEvent {
    this.#dispatch(record, true);
    const { tenantId, ref, event, context, data } = record;
    return { tenantId, ref, event, context, data, eventId: context.eventId, deduplicated };
  }

  /** Handlers of one event name, or of every event (`*`). Returns the unsubscribe function. */
  on(name: string, handler: EventHandler): () => void {
    let set = this.#handlers.get(name);
    if (set === undefined) {
      set = new Set();
      this.#handlers.set(name, set);
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  /** Every stored event, as it is stored (before its handlers run). */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    this.#listenerList = [...this.#listeners];
    return () => {
      const removed = this.#listeners.delete(listener);
      this.#listenerList = [...this.#listeners];
      return removed;
    };
  }

  onHandlerError(listener: EventHandlerErrorListener): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  /** Stores an already-built record (restores, recoveries) without running handlers; true when it was new. */
  async storeRecord(record: EventRecord, durability: EmitOptions['durability'] = 'buffered'): Promise<boolean> {
    const deduplicated = this.#store(record, durability ?? 'buffered');
    if (durability === 'acknowledged') await this.#options.cold.write(record);
    return !deduplicated;
  }

  /** Into the hot tier, and buffered for the cold tier (an acknowledged caller writes it itself); true when a duplicate. */
  #store(
    record: EventRecord,
    durability: NonNullable<EmitOptions['durability']>,
    customText?: string,
    refParts?: ContextRefParts,
  ): boolean {
    const counters = this.#options.counters.of(record.tenantId);
    const inserted = this.#options.hot.insert(record, customText, refParts);
    if (inserted) counters.emitted += 1;
    else counters.deduplicated += 1;
    if (inserted && durability === 'buffered') this.#options.cold.buffer(record);
    return !inserted;
  }

  /** Records `event.depth_exceeded` (beyond the limit itself, never handled) and refuses the emit. */
  async #depthExceeded(tenantId: string, name: string, link: ParentFields): Promise<never> {
    this.#options.counters.of(tenantId).depthExceeded += 1;
    const context = newContext(tenantId, {}, link, 0);
    const data = { event: name, depth: link.depth + 1, limit: this.#maxDepth, parentEventId: link.eventId };
    const ref = contextRefOf(tenantId, DEPTH_EXCEEDED_EVENT, context);
    const record: EventRecord = { tenantId, ref, event: DEPTH_EXCEEDED_EVENT, context, data };
    this.#store(record, 'buffered');
    this.#dispatch(record, false);
    throw new ValidationError(
      `"${name}" would be at depth ${link.depth + 1}, beyond the limit of ${this.#maxDepth}: an event loop? Recorded as ${ref}.`,
      { code: 'event_depth_exceeded', details: { ...data, correlationId: link.correlationId, errorRef: ref } },
    );
  }

  #dispatch(record: EventRecord, runHandlers: boolean): void {
    // the list as it is now: listeners that subscribe or leave meanwhile change the next dispatch, not this one
    const listeners = this.#listenerList;
    for (let index = 0; index < listeners.length; index += 1) {
      try {
        (listeners[index] as EventListener)(record);
      } catch (error) {
        this.#report(error, record);
      }
    }
    if (!runHandlers || this.#handlers.size === 0) return;
    const named = this.#handlers.get(record.event);
    const any = this.#handlers.get('*');
    if ((named === undefined || named.size === 0) && (any === undefined || any.size === 0)) return;
    const handlers = [...(named ?? []), ...(any ?? [])];
    const scope = { link: linkOf(record.tenantId, record.context), context: record.context };
    for (const handler of handlers) {
      runInEventScope(scope, () => {
        try {
          const result = handler(record.data, record.context, record);
          if (result instanceof Promise) result.catch((error: unknown) => this.#report(error, record));
        } catch (error) {
          this.#report(error, record);
        }
      });
    }
  }

  #report(error: unknown, record: EventRecord): void {
    for (const listener of this.#errorListeners) {
      try {
        listener(error, record);
      } catch {
        // an error listener that fails has nobody left to tell
      }
    }
  }
}
