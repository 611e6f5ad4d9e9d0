import type { Injection } from '../core/injection.js';
import type { InjectionMessage } from './injection-message.js';
import type { Sink } from './resilience/sink.js';

/** A consumer attached to a stream: a WebSocket connection or an SSE response. */
export interface StreamTransport {
  readonly kind: 'websocket' | 'sse';
  /** Writes one message; resolves once it is handed to the socket, rejects when the consumer is gone. */
  send(message: InjectionMessage, signal: AbortSignal): Promise<void>;
}

/**
 * The primary sink of a stream: its newest attached transport. With none attached, a send fails (and the
 * deliverer's strategy for the criticality decides what happens next).
 */
export class TransportSink implements Sink {
  readonly id: string;
  readonly #transports: StreamTransport[] = [];
  readonly #message: (injection: Injection) => InjectionMessage;

  constructor(id: string, message: (injection: Injection) => InjectionMessage) {
    this.id = id;
    this.#message = message;
  }

  get attached(): number {
    return this.#transports.length;
  }

  attach(transport: StreamTransport): () => void {
    this.#transports.push(transport);
    return () => {
      const index = this.#transports.indexOf(transport);
      if (index >= 0) this.#transports.splice(index, 1);
    };
  }

  async send(injection: Injection, signal: AbortSignal): Promise<void> {
    const transport = this.#transports.at(-1);
    if (transport === undefined) throw new Error('no consumer attached');
    await transport.send(this.#message(injection), signal);
  }
}

/**
 * The escalation path of a stream: keeps what the primary sink could not take for the consumer's next pull
 * (`POST …/events`) or reconnect, bounded. When full it refuses (the send rejects) rather than forgetting an
 * injection already counted delivered: the deliverer then reports the refused one failed, with its reason.
 */
export class MailboxSink implements Sink {
  readonly id: string;
  readonly #limit: number;
  #held: Injection[] | undefined;

  constructor(id: string, limit: number) {
    this.id = id;
    this.#limit = limit;
  }

  async send(injection: Injection): Promise<void> {
    this.#held ??= [];
    if (this.#held.length >= this.#limit) throw new Error('mailbox full');
    this.#held.push(injection);
  }

  take(): Injection[] {
    const held = this.#held ?? [];
    this.#held = undefined;
    return held;
  }
}
