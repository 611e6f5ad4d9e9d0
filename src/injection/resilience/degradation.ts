import { ValidationError } from '../../core/errors.js';
import type { Criticality } from '../../core/injection.js';
import type { FailureBudgetSample } from './failure-budget.js';

/** How much the engine still delivers, from everything (`full`) to critical-with-deadline only (`skip`). */
export const DEGRADATION_LEVELS = ['full', 'essential', 'critical-only', 'skip'] as const;
export type DegradationLevel = (typeof DEGRADATION_LEVELS)[number];

/** The failure ratio and the load at which a level starts (either one is enough). */
export interface LevelThreshold {
  failureRatio: number;
  load: number;
}

export interface DegradationThresholds {
  essential: LevelThreshold;
  'critical-only': LevelThreshold;
  skip: LevelThreshold;
  /** Attempts the window must hold before its failure ratio counts (a few failures at start-up are noise). */
  minSamples: number;
}

export const DEFAULT_DEGRADATION_THRESHOLDS: Readonly<DegradationThresholds> = Object.freeze({
  essential: { failureRatio: 0.1, load: 0.7 },
  'critical-only': { failureRatio: 0.3, load: 0.85 },
  skip: { failureRatio: 0.6, load: 0.95 },
  minSamples: 20,
});

/** Completes thresholds with defaults and checks they rise from level to level. */
export function resolveDegradationThresholds(partial: Partial<DegradationThresholds> = {}): Readonly<DegradationThresholds> {
  const thresholds = { ...DEFAULT_DEGRADATION_THRESHOLDS, ...partial };
  const { essential, skip } = thresholds;
  const criticalOnly = thresholds['critical-only'];
  for (const key of ['failureRatio', 'load'] as const) {
    if (!(essential[key] <= criticalOnly[key] && criticalOnly[key] <= skip[key])) {
      throw new ValidationError(`degradation thresholds must rise: essential ≤ critical-only ≤ skip (${key})`);
    }
  }
  return Object.freeze(thresholds);
}

/**
 * The level for a failure-budget sample and a load in 0..1 (e.g. event-loop utilisation): the highest
 * level whose failure ratio or load threshold is reached. The ratio is ignored below `minSamples`.
 */
export function chooseDegradationLevel(
  sample: FailureBudgetSample,
  load: number,
  thresholds: Readonly<DegradationThresholds> = DEFAULT_DEGRADATION_THRESHOLDS,
): DegradationLevel {
  const ratio = sample.successes + sample.failures >= thresholds.minSamples ? sample.ratio : 0;
  const reached = (threshold: LevelThreshold) => ratio >= threshold.failureRatio || load >= threshold.load;
  if (reached(thresholds.skip)) return 'skip';
  if (reached(thresholds['critical-only'])) return 'critical-only';
  if (reached(thresholds.essential)) return 'essential';
  return 'full';
}

/**
 * Whether a level still attempts an injection: `full` everything; `essential` all but optional;
 * `critical-only` critical only; `skip` critical with a deadline only (a critical without one is
 * reported failed with reason `degraded`, never silently lost).
 */
export function levelAllows(level: DegradationLevel, criticality: Criticality, hasDeadline: boolean): boolean {
  switch (level) {
    case 'full':
      return true;
    case 'essential':
      return criticality !== 'optional';
    case 'critical-only':
      return criticality === 'critical';
    case 'skip':
      return criticality === 'critical' && hasDeadline;
    default: {
      const _exhaustive: never = level;
      return _exhaustive;
    }
  }
}
