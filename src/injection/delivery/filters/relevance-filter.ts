import type { Injection } from '../../../core/injection.js';
import { type InjectionFilter, PASS, reject } from './injection-filter.js';

/** An injection that may carry the relevance score its rule or retriever gave it (0..1). */
export type ScoredInjection = Injection & { relevance?: number | undefined };

export interface RelevanceFilterOptions {
  /** Lowest score let through. */
  minScore: number;
  /** Where the score comes from (default: the injection's `relevance` field). */
  scoreOf?: (injection: Injection) => number | undefined;
  /** What to do with an injection that has no score (default: pass). */
  unscored?: 'pass' | 'reject';
}

/** Lets through injections whose relevance score reaches `minScore`. Critical injections always pass. */
export function relevanceFilter(options: RelevanceFilterOptions): InjectionFilter {
  const scoreOf = options.scoreOf ?? ((injection: Injection) => (injection as ScoredInjection).relevance);
  return {
    name: 'relevance',
    check(injection) {
      if (injection.packet.metadata.criticality === 'critical') return PASS;
      const score = scoreOf(injection);
      if (score === undefined) return options.unscored === 'reject' ? reject('relevance', 'unscored') : PASS;
      return score >= options.minScore ? PASS : reject('relevance');
    },
  };
}
