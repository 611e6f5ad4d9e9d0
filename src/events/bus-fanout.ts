import type { PubSubPort } from '../cache/pubsub-port.js';
import type { EngineEventName } from '../core/engine-events.js';
import type { EventBus } from './event-bus.js';

export interface BusFanoutOptions {
  /** Unique per engine instance (e.g. a random UUID at start): messages from ourselves are skipped. */
  instanceId: string;
  /** Pub/sub channel shared by all instances (default `ctx:events`). */
  channel?: string;
  /** Told about a message that is not a fan-out envelope, or a publish that failed. Never throws. */
  onError?: (error: unknown) => void;
}

/** What travels between instances: the event as emitted, and who emitted it. */
export interface BusFanoutEnvelope {
  v: 1;
  instanceId: string;
  name: string;
  payload: object;
}

export type DisconnectBusFanout = () => Promise<void>;

/** Payloads that another instance emitted and fan-out re-emitted here (every connection of this process). */
const receivedPayloads = new WeakSet<object>();

/** True for a bus payload that came from another instance: it was recorded (as an event context) over there. */
export function cameFromAnotherInstance(payload: object): boolean {
  return receivedPayloads.has(payload);
}

function parseEnvelope(message: string): BusFanoutEnvelope {
  const parsed: unknown = JSON.parse(message);
  if (typeof parsed !== 'object' || parsed === null) throw new Error('A fan-out message must be a JSON object.');
  const { v, instanceId, name, payload } = parsed as Record<string, unknown>;
  if (v !== 1 || typeof instanceId !== 'string' || typeof name !== 'string' || typeof payload !== 'object' || payload === null) {
    throw new Error('A fan-out message must be { v: 1, instanceId, name, payload }.');
  }
  return { v, instanceId, name, payload };
}

/**
 * Connects the local bus to the other instances. Every event emitted locally is published; every event
 * another instance published is emitted on the local bus. Re-emitted payloads are remembered (a WeakSet
 * of the exact payload objects), so they are not published again — no echo, no loops — while a new event a
 * handler emits in reaction is still published. Payloads (tenant ids included) travel as JSON, unchanged.
 * Fan-out is best effort: events emitted while the pub/sub is down reach this instance only.
 */
export async function connectBusFanout(
  bus: EventBus,
  pubsub: PubSubPort,
  options: BusFanoutOptions,
): Promise<DisconnectBusFanout> {
  const channel = options.channel ?? 'ctx:events';
  const report = (error: unknown): void => {
    try {
      options.onError?.(error);
    } catch {
      // nobody left to tell
    }
  };
  const fromElsewhere = new WeakSet<object>();

  const stopPublishing = bus.onAny((name, payload) => {
    if (fromElsewhere.has(payload)) return;
    let message: string;
    try {
      message = JSON.stringify({ v: 1, instanceId: options.instanceId, name, payload } satisfies BusFanoutEnvelope);
    } catch (error) {
      report(error);
      return;
    }
    pubsub.publish(channel, message).catch(report);
  });

  let stopReceiving: () => Promise<void>;
  try {
    stopReceiving = await pubsub.subscribe(channel, (message) => {
      let envelope: BusFanoutEnvelope;
      try {
        envelope = parseEnvelope(message);
      } catch (error) {
        report(error);
        return;
      }
      if (envelope.instanceId === options.instanceId) return;
      fromElsewhere.add(envelope.payload);
      receivedPayloads.add(envelope.payload);
      // an unknown name (a newer instance during a rolling deploy) reaches only onAny handlers
      bus.emit(envelope.name as EngineEventName, envelope.payload as never);
    });
  } catch (error) {
    stopPublishing();
    throw error;
  }

  return async () => {
    stopPublishing();
    await stopReceiving();
  };
}
