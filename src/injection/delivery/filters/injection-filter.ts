import type { Injection } from '../../../core/injection.js';
import type { DegradationLevel } from '../../resilience/degradation.js';

/** What a filter sees besides the injection. */
export interface FilterContext {
  /** Epoch ms. */
  now: number;
  /** The deliverer's current degradation level (raises the priority threshold). */
  level: DegradationLevel;
}

/** Pass, or reject with the filter's reason (counted as `filtered:<name>`). */
export type FilterVerdict = { pass: true } | { pass: false; reason: string };

/**
 * One filter of a stream's chain. `check` decides; `record` is told of every injection the whole chain
 * let through (stateful filters — dedup, token windows — remember it). Stateful filters hold one
 * stream's state: build one chain per stream.
 */
export interface InjectionFilter {
  readonly name: string;
  check(injection: Injection, context: FilterContext): FilterVerdict;
  record?(injection: Injection, context: FilterContext): void;
}

export const PASS: FilterVerdict = Object.freeze({ pass: true });

/** Rejects with `filtered:<name>` (plus `:<detail>` when given). */
export function reject(name: string, detail?: string): FilterVerdict {
  return { pass: false, reason: detail === undefined ? `filtered:${name}` : `filtered:${name}:${detail}` };
}

/**
 * Runs a chain in order and stops at the first rejection; when every filter passes, each one's
 * `record` is told (so what a later filter rejects never counts as injected for an earlier one).
 */
export function runFilters(filters: readonly InjectionFilter[], injection: Injection, context: FilterContext): FilterVerdict {
  for (const filter of filters) {
    const verdict = filter.check(injection, context);
    if (!verdict.pass) return verdict;
  }
  for (const filter of filters) filter.record?.(injection, context);
  return PASS;
}
