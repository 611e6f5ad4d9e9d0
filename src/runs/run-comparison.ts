import type { JsonValue } from '../core/json.js';
import type { PhaseVersion } from '../core/run.js';

/** Which phase version each side of a comparison came from (null: not written). */
export interface ComparisonSource {
  phase: string;
  version: number;
}

/**
 * Seed 001's three-way comparison: the state before, the plan, the state after, what was implemented, and the numeric
 * delta (after − before) of every metric present, as a number, in both before and after.
 */
export interface RunComparison {
  runId: string;
  before: JsonValue | null;
  plan: JsonValue | null;
  after: JsonValue | null;
  implementation: JsonValue | null;
  delta: Record<string, number>;
  sources: {
    before: ComparisonSource | null;
    plan: ComparisonSource | null;
    after: ComparisonSource | null;
    implementation: ComparisonSource | null;
  };
}

export interface ComparisonInputs {
  runId: string;
  /** First and newest version of the `before` phase (the same version when it was written once). */
  firstBefore?: PhaseVersion | undefined;
  newestBefore?: PhaseVersion | undefined;
  plan?: PhaseVersion | undefined;
  implementation?: PhaseVersion | undefined;
}

const source = (version: PhaseVersion | undefined): ComparisonSource | null =>
  version === undefined ? null : { phase: version.phase, version: version.version };

/**
 * Builds the comparison. `before` is the first version of the analysis phase; `after` is its newest version when it was
 * written again (a re-analysis after the implementation), else null.
 */
export function compareRun(inputs: ComparisonInputs): RunComparison {
  const after =
    inputs.newestBefore !== undefined &&
    inputs.firstBefore !== undefined &&
    inputs.newestBefore.version > inputs.firstBefore.version
      ? inputs.newestBefore
      : undefined;
  const before = inputs.firstBefore;
  return {
    runId: inputs.runId,
    before: before?.data ?? null,
    plan: inputs.plan?.data ?? null,
    after: after?.data ?? null,
    implementation: inputs.implementation?.data ?? null,
    delta: before === undefined || after === undefined ? {} : metricDelta(before.data, after.data),
    sources: {
      before: source(before),
      plan: source(inputs.plan),
      after: source(after),
      implementation: source(inputs.implementation),
    },
  };
}

/** after − before for every numeric metric in both (`metrics` of each side when present, else the side itself). */
export function metricDelta(before: JsonValue, after: JsonValue): Record<string, number> {
  const left = numericLeaves(metricsOf(before));
  const right = numericLeaves(metricsOf(after));
  const delta: Record<string, number> = {};
  for (const [name, value] of Object.entries(left)) {
    const other = right[name];
    if (other !== undefined) delta[name] = roundDelta(other - value);
  }
  return delta;
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function metricsOf(value: JsonValue): JsonValue | undefined {
  if (!isObject(value)) return undefined;
  return isObject(value.metrics) ? value.metrics : value;
}

/** Finite numbers of an object, nested objects as dotted names (`coverage.lines`); arrays are skipped. */
export function numericLeaves(
  value: JsonValue | undefined,
  prefix = '',
  into: Record<string, number> = {},
): Record<string, number> {
  if (!isObject(value)) return into;
  for (const [key, child] of Object.entries(value)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof child === 'number' && Number.isFinite(child)) into[name] = child;
    else if (isObject(child)) numericLeaves(child, name, into);
  }
  return into;
}

/** Removes binary floating-point noise (75.2 − 70.1 = 5.1, not 5.100000000000001). */
function roundDelta(value: number): number {
  return Number.parseFloat(value.toPrecision(12));
}
