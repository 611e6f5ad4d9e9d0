import type { DegradationLevel } from '../../resilience/degradation.js';
import { type InjectionFilter, PASS, reject } from './injection-filter.js';

export interface PriorityFilterOptions {
  /** Lowest priority let through at level `full`. */
  minPriority: number;
  /** Added to `minPriority` at each degradation level (default 0 / 20 / 50 / 80). */
  raiseBy?: Partial<Record<DegradationLevel, number>>;
}

const DEFAULT_RAISE: Record<DegradationLevel, number> = { full: 0, essential: 20, 'critical-only': 50, skip: 80 };

/**
 * Lets through injections whose priority reaches the threshold, which rises with the degradation level.
 * Critical injections always pass: their fate is the deliverer's (delivered or reported failed).
 */
export function priorityFilter(options: PriorityFilterOptions): InjectionFilter {
  const raise = { ...DEFAULT_RAISE, ...options.raiseBy };
  return {
    name: 'priority',
    check(injection, { level }) {
      const { priority, criticality } = injection.packet.metadata;
      if (criticality === 'critical') return PASS;
      return priority >= options.minPriority + raise[level] ? PASS : reject('priority');
    },
  };
}
