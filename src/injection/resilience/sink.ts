import type { Injection } from '../../core/injection.js';

/**
 * The thing that delivers an injection into a conversation: a WebSocket connection, a webhook, a provider
 * session. `send` resolves once the injection is handed over and rejects when it was not; it should stop
 * work when `signal` aborts (a timeout, a deadline, shutdown).
 */
export interface Sink {
  /** Stable id: one circuit breaker per id. */
  readonly id: string;
  send(injection: Injection, signal: AbortSignal): Promise<void>;
}
