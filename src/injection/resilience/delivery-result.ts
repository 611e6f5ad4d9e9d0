import type { InjectionOutcome } from '../../core/injection.js';
import type { Sink } from './sink.js';

/**
 * How a `deliver()` call ended: an injection outcome, `requeue` (helpful: keep it buffered for the next
 * sync point) or `retrying` (important: the first attempt failed and retries go on in the background).
 */
export type DeliveryOutcome = InjectionOutcome | 'requeue' | 'retrying';

export interface DeliveryResult {
  outcome: DeliveryOutcome;
  /** Why it was not a plain delivery: `breaker_open`, `timeout`, `deadline_exceeded`, `degraded`, `sink_error:<message>`, `escalated` (delivered by the fallback)… */
  reason?: string | undefined;
  /** Sink calls made (those the open breaker refused included). */
  attempts: number;
  latencyMs: number;
  /** Epoch ms at which the sink accepted it (delivered only). */
  deliveredAt?: number | undefined;
  /** The sink that accepted it (delivered only). */
  sinkId?: string | undefined;
  /** For `retrying`: settles with the final result once the background retries end. */
  background?: Promise<DeliveryResult> | undefined;
}

/** Where to deliver: the primary sink and an optional fallback (the escalation path). */
export interface DeliverOptions {
  sink: Sink;
  fallback?: Sink | undefined;
  /** Epoch ms of the call (defaults to the deliverer's clock). */
  now?: number | undefined;
}
