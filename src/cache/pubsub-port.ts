import type { BackendHealth } from './backend-health.js';

export type PubSubHandler = (message: string, channel: string) => void;
export type PubSubUnsubscribe = () => Promise<void>;

/**
 * Best-effort messages between engine instances (every subscriber of a channel, the publisher's own
 * included, receives each message). Messages published while the backend is down are lost: nothing
 * that must not be lost goes through here. Subscriptions survive outages and resume by themselves.
 */
export interface PubSubPort {
  /** Resolves true when the message was handed to the backend, false when it was dropped (outage). Never throws for an outage. */
  publish(channel: string, message: string): Promise<boolean>;
  /**
   * Resolves once the subscription is active (or, with the backend down, registered to be made active when
   * it returns). Handlers are isolated: one that throws does not stop the others.
   */
  subscribe(channel: string, handler: PubSubHandler): Promise<PubSubUnsubscribe>;
  health(): Promise<BackendHealth>;
  close(): Promise<void>;
}
