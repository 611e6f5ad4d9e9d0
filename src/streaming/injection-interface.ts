import type { ContextPacket, Injection, InjectionOutcome, SyncPoint } from '../core/injection.js';

/** How `execute` ended for one injection. Never thrown: failures are outcomes with a reason. */
export interface InjectionResult {
  injection: Injection;
  outcome: InjectionOutcome;
  /** Why it was not delivered (`expired`, `deadline_exceeded`, `delivery_failed`, `marker_passed`, …). */
  reason?: string | undefined;
  /** The delivery error, when `reason` is `delivery_failed`. */
  error?: unknown;
}

export interface PrepareOptions {
  /** The synchronization point it waits for (default `turn-end`). */
  at?: SyncPoint | undefined;
  ruleId?: string | undefined;
  /** An id to use instead of a fresh one (e.g. a retry of the same injection). */
  id?: string | undefined;
}

/**
 * Seed 003's Injection Interface, transport-neutral: may the stream take an injection now, build one from a
 * packet, deliver it, and record the client's acknowledgement.
 */
export interface StreamInjector {
  /** False while the stream should not receive an injection (e.g. too many are still unacknowledged). */
  canInject(now: number): boolean;
  /** Builds the `Injection` (id, content hash, token count, expiry and deadline) without delivering it. */
  prepare(packet: ContextPacket, options?: PrepareOptions): Injection;
  /** Delivers it; resolves with the outcome, never rejects. */
  execute(injection: Injection): Promise<InjectionResult>;
  /** The client acknowledged `id`; false when no delivered injection awaits that acknowledgement. */
  confirm(id: string): boolean;
}
