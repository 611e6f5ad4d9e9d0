import type { Injection, InjectionOutcome, StreamInput } from '../core/injection.js';
import type { JsonObject } from '../core/json.js';

/** What every stream event carries: which stream and when (epoch milliseconds, from the session's scheduler). */
export interface StreamEventBase {
  streamId: string;
  at: number;
}

/** Counts a session reports when it ends. */
export interface StreamSummary {
  inputs: number;
  prepared: number;
  delivered: number;
  dropped: number;
  failed: number;
}

/** Why an injection did not reach the client. */
export type InjectionFailureReason =
  | 'deadline_exceeded'
  | 'marker_passed'
  | 'expired'
  | 'cancelled'
  | 'vetoed'
  | 'delivery_failed'
  | 'stream_ended'
  | (string & {});

export interface StreamStartEvent extends StreamEventBase {
  type: 'stream.start';
  metadata?: JsonObject | undefined;
}
/** A `StreamInput` was received from the client. */
export interface StreamDataEvent extends StreamEventBase {
  type: 'data';
  input: StreamInput;
}
export interface StreamPauseEvent extends StreamEventBase {
  type: 'pause';
  reason: string;
}
export interface StreamResumeEvent extends StreamEventBase {
  type: 'resume';
}
export interface StreamEndEvent extends StreamEventBase {
  type: 'end';
  summary: StreamSummary;
}
export interface StreamErrorEvent extends StreamEventBase {
  type: 'error';
  error: Error;
}
export interface InjectionPreparedEvent extends StreamEventBase {
  type: 'injection.prepared';
  injection: Injection;
}
export interface InjectionDeliveredEvent extends StreamEventBase {
  type: 'injection.delivered';
  injection: Injection;
  /** `push`: the engine sent it (active/hybrid); `pull`: the client took it (passive). */
  via: 'push' | 'pull';
}
export interface InjectionDroppedEvent extends StreamEventBase {
  type: 'injection.dropped';
  injection: Injection;
  /** `overflow` (queue full, lowest priority first) or `below_priority` (`dropBelow`). */
  reason: 'overflow' | 'below_priority';
}
export interface InjectionFailedEvent extends StreamEventBase {
  type: 'injection.failed';
  injection: Injection;
  outcome: Exclude<InjectionOutcome, 'delivered' | 'dropped'>;
  reason: InjectionFailureReason;
}

/** Everything a stream session publishes, to observers and to `for await` consumers. */
export type StreamEvent =
  | StreamStartEvent
  | StreamDataEvent
  | StreamPauseEvent
  | StreamResumeEvent
  | StreamEndEvent
  | StreamErrorEvent
  | InjectionPreparedEvent
  | InjectionDeliveredEvent
  | InjectionDroppedEvent
  | InjectionFailedEvent;

export type StreamEventType = StreamEvent['type'];

/** Lifecycle events outrank everything: a slow consumer loses data events before it loses `end`. */
const LIFECYCLE_PRIORITY = 1_000;
/** Client input is the cheapest to lose for an observer that lags (the transport has it anyway). */
const DATA_PRIORITY = -1;

/**
 * The priority of an event in a consumer's bounded queue: lifecycle first, then injection events by their
 * packet's priority, then data.
 */
export function streamEventPriority(event: StreamEvent): number {
  switch (event.type) {
    case 'stream.start':
    case 'pause':
    case 'resume':
    case 'end':
    case 'error':
      return LIFECYCLE_PRIORITY;
    case 'data':
      return DATA_PRIORITY;
    case 'injection.prepared':
    case 'injection.delivered':
    case 'injection.dropped':
    case 'injection.failed':
      return event.injection.packet.metadata.priority;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** `Omit` applied to each member of a union (plain `Omit` collapses the union). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
