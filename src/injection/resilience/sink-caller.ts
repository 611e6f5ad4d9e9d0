import { isBrokenCircuitError, TaskCancelledError, TimeoutStrategy, timeout } from 'cockatiel';
import type { Injection } from '../../core/injection.js';
import type { BreakerRegistry } from './breaker-registry.js';
import type { DeliveryCounters } from './delivery-counters.js';
import type { FailureBudget } from './failure-budget.js';
import type { Sink } from './sink.js';

export interface SinkCallerDependencies {
  breakers: BreakerRegistry;
  budget: FailureBudget;
  counters: DeliveryCounters;
  clock: () => number;
}

/**
 * One delivery attempt: the sink's circuit breaker around an aggressive timeout around `sink.send`.
 * The timeout counts as a failure for the breaker; a call the open breaker refuses is not a sink call
 * and is kept out of the failure budget. Throws what the attempt failed with.
 */
export class SinkCaller {
  readonly #dependencies: SinkCallerDependencies;

  constructor(dependencies: SinkCallerDependencies) {
    this.#dependencies = dependencies;
  }

  async call(sink: Sink, injection: Injection, timeoutMs: number, signal: AbortSignal): Promise<void> {
    const { breakers, budget, counters, clock } = this.#dependencies;
    const bounded = timeout(Math.max(1, Math.floor(timeoutMs)), TimeoutStrategy.Aggressive);
    try {
      await breakers.get(sink.id).execute(
        ({ signal: breakerSignal }) =>
          bounded.execute(async ({ signal: attemptSignal }) => {
            counters.attempt(injection.packet.metadata.criticality);
            try {
              await sink.send(injection, attemptSignal);
            } catch (error) {
              // A sink that rejects because our timeout aborted it timed out, whatever it threw.
              if (attemptSignal.aborted && !signal.aborted) throw new TaskCancelledError('delivery attempt timed out');
              throw error;
            }
          }, breakerSignal),
        signal,
      );
      budget.record(true, clock());
    } catch (error) {
      if (!isBrokenCircuitError(error) && !signal.aborted) budget.record(false, clock());
      throw error;
    }
  }
}
