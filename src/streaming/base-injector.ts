import { randomUUID } from 'node:crypto';
import type { ContextPacket, Injection } from '../core/injection.js';
import { sha256Hex } from '../updates/content-hash.js';
import type { InjectionResult, PrepareOptions, StreamInjector } from './injection-interface.js';
import { packetContentText } from './packet-content.js';
import type { Scheduler } from './scheduler.js';

export interface BaseStreamInjectorOptions {
  tenantId: string;
  sessionId: string;
  /** The actual delivery (a WebSocket send, an SSE write, a provider call). A throw or rejection is a failure. */
  deliver: (injection: Injection) => void | Promise<void>;
  /** Tokens of a text (e.g. the assembly tokenizer's count). */
  countTokens: (text: string) => number;
  /** The text the tokens are counted on (default: the packet's canonical content). */
  render?: (packet: ContextPacket) => string;
  scheduler: Scheduler;
  newId?: () => string;
  /** Most injections being delivered or awaiting the client's ack before `canInject` says no (default 16). */
  maxUnconfirmed?: number;
  /** An extra condition of `canInject` (e.g. the degradation level). */
  canInject?: (now: number) => boolean;
}

/**
 * A small `StreamInjector`: prepares injections itself and delegates delivery to `deliver`. Tracks delivered
 * injections until `confirm` (allocated at the first delivery).
 */
export class BaseStreamInjector implements StreamInjector {
  readonly #options: BaseStreamInjectorOptions;
  #unconfirmed: Set<string> | undefined;
  #inFlight = 0;

  constructor(options: BaseStreamInjectorOptions) {
    this.#options = options;
  }

  /** Delivered injections not yet acknowledged. */
  get unconfirmed(): number {
    return this.#unconfirmed?.size ?? 0;
  }

  canInject(now: number): boolean {
    if (this.#inFlight + this.unconfirmed >= (this.#options.maxUnconfirmed ?? 16)) return false;
    return this.#options.canInject?.(now) ?? true;
  }

  prepare(packet: ContextPacket, options: PrepareOptions = {}): Injection {
    const { tenantId, sessionId, scheduler } = this.#options;
    const preparedAt = scheduler.now();
    const contentText = packetContentText(packet);
    const text = this.#options.render?.(packet) ?? contentText;
    const { ttlMs, deadlineMs } = packet.metadata;
    return {
      id: options.id ?? this.#options.newId?.() ?? randomUUID(),
      tenantId,
      sessionId,
      ...(options.ruleId !== undefined ? { ruleId: options.ruleId } : {}),
      packet,
      at: options.at ?? 'turn-end',
      preparedAt,
      ...(ttlMs !== undefined ? { expiresAt: preparedAt + ttlMs } : {}),
      ...(deadlineMs !== undefined ? { deadlineAt: preparedAt + deadlineMs } : {}),
      contentHash: sha256Hex(contentText),
      tokens: this.#options.countTokens(text),
    };
  }

  async execute(injection: Injection): Promise<InjectionResult> {
    const now = this.#options.scheduler.now();
    if (injection.expiresAt !== undefined && now >= injection.expiresAt) {
      return { injection, outcome: 'expired', reason: 'ttl' };
    }
    if (injection.deadlineAt !== undefined && now > injection.deadlineAt) {
      return { injection, outcome: 'failed', reason: 'deadline_exceeded' };
    }
    this.#inFlight++;
    try {
      await this.#options.deliver(injection);
    } catch (error) {
      return { injection, outcome: 'failed', reason: 'delivery_failed', error };
    } finally {
      this.#inFlight--;
    }
    this.#unconfirmed ??= new Set();
    this.#unconfirmed.add(injection.id);
    return { injection, outcome: 'delivered' };
  }

  confirm(id: string): boolean {
    const known = this.#unconfirmed?.delete(id) ?? false;
    if (this.#unconfirmed?.size === 0) this.#unconfirmed = undefined;
    return known;
  }
}
