import { isContextEngineError, NotFoundError, PreconditionFailedError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import type { Page, PageRequest } from '../core/page.js';
import type { PhaseVersion, RunContext } from '../core/run.js';
import { isFinishedRunStatus, PHASE_NAME_PATTERN } from '../core/run.js';
import { phaseNotInRunError, runFinishedError } from '../store/run-store-errors.js';
import { applyMergePatch } from '../updates/merge-patch.js';
import { parseWith } from '../validation/parse.js';
import { jsonValueSchema, versionNumberSchema } from '../validation/schemas.js';
import { preparePhaseData } from './phase-data.js';
import { retryOnConflict } from './retry-on-conflict.js';
import { checkMatches, type RunDeps, requireRun } from './run-deps.js';
import { type PhaseWriteOptions, phaseNameSchema, phaseWriteOptionsSchema } from './run-input.js';

/** A phase write: the phase's newest version, and whether this write created it (false: the data was already there). */
export interface PhaseWriteResult {
  version: PhaseVersion;
  created: boolean;
}

type NextData = (current: PhaseVersion | undefined) => unknown;

/**
 * One attempt: read the run and the phase's newest version, compute the new data, and append it with a
 * compare-and-set on that version. Identical data writes nothing.
 */
async function attemptAppend(
  deps: RunDeps,
  target: { tenantId: string; runId: string; phase: string },
  options: { author: string; expectedVersion: number | null | undefined },
  next: NextData,
): Promise<PhaseWriteResult> {
  const { tenantId, runId, phase } = target;
  const run = await requireRun(deps, tenantId, runId);
  if (isFinishedRunStatus(run.status)) throw runFinishedError(run.id, run.status);
  if (!run.phaseNames.includes(phase)) throw phaseNotInRunError(run.id, phase, run.phaseNames);
  const schema = deps.templates.schemaOf(run, phase);
  const current = await deps.store.getPhase(tenantId, runId, phase);
  const currentVersion = current?.version ?? null;
  if (options.expectedVersion !== undefined && options.expectedVersion !== currentVersion) {
    throw versionMismatch(phase, options.expectedVersion, currentVersion);
  }
  const prepared = preparePhaseData(phase, next(current), schema, deps.maxValueBytes);
  if (current !== undefined && current.contentHash === prepared.contentHash) return { version: current, created: false };
  const version = await deps.store.appendPhase({
    tenantId,
    runId,
    phase,
    expectedVersion: currentVersion,
    ...prepared,
    author: options.author,
    createdAt: deps.now(),
  });
  const { data: _data, ...summary } = version;
  deps.bus.emit('run.phase_written', { tenantId, runId, phase, version: summary });
  return { version, created: true };
}

/** `{}` (the options of most writes): nothing to validate. */
function isEmptyPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && Reflect.ownKeys(value).length === 0;
}

function versionMismatch(phase: string, expected: number | null, current: number | null): PreconditionFailedError {
  const describe = (version: number | null) => (version === null ? 'not written yet' : `at version ${version}`);
  return new PreconditionFailedError(`Phase "${phase}" is ${describe(current)}, not ${describe(expected)}.`, {
    code: 'phase_version_mismatch',
    details: { phase, expectedVersion: expected, currentVersion: current },
  });
}

/**
 * Appends a phase version. With `expectedVersion` it is one compare-and-set (PreconditionFailedError when the phase
 * moved); without, a lost race re-reads and tries again, so concurrent writers are serialised, never lost.
 */
async function appendPhase(
  deps: RunDeps,
  target: { tenantId: string; runId: string; phase: string },
  rawOptions: PhaseWriteOptions,
  next: NextData,
): Promise<PhaseWriteResult> {
  checkMatches(PHASE_NAME_PATTERN, phaseNameSchema, target.phase, 'phase');
  const options = isEmptyPlainObject(rawOptions) ? {} : parseWith(phaseWriteOptionsSchema, rawOptions, 'phase write options');
  const settled = { author: options.author ?? 'anonymous', expectedVersion: options.expectedVersion };
  if (settled.expectedVersion === undefined) {
    return retryOnConflict(['phase_version_conflict'], `Writing phase "${target.phase}"`, () =>
      attemptAppend(deps, target, settled, next),
    );
  }
  try {
    return await attemptAppend(deps, target, settled, next);
  } catch (error) {
    if (isContextEngineError(error) && error.code === 'phase_version_conflict') {
      const current = (error.details?.currentVersion as number | null | undefined) ?? null;
      throw versionMismatch(target.phase, settled.expectedVersion, current);
    }
    throw error;
  }
}

/** Replaces a phase's data (a new version); the data is validated against the run template's schema for the phase. */
export function writePhase(
  deps: RunDeps,
  target: { tenantId: string; runId: string; phase: string },
  data: unknown,
  options: PhaseWriteOptions = {},
): Promise<PhaseWriteResult> {
  return appendPhase(deps, target, options, () => data);
}

/**
 * Applies an RFC 7386 merge patch to a phase's newest data (an empty object when not written yet): concurrent agents
 * can each add their own fields to one phase, and every field lands.
 */
export function patchPhase(
  deps: RunDeps,
  target: { tenantId: string; runId: string; phase: string },
  patch: JsonValue,
  options: PhaseWriteOptions = {},
): Promise<PhaseWriteResult> {
  const checked = parseWith(jsonValueSchema, patch, 'merge patch');
  return appendPhase(deps, target, options, (current) => applyMergePatch(current?.data ?? {}, checked));
}

export async function readPhase(
  deps: RunDeps,
  target: { tenantId: string; runId: string; phase: string },
  version?: number,
): Promise<PhaseVersion> {
  const { tenantId, runId, phase } = target;
  const run = await requireRun(deps, tenantId, runId);
  parseWith(phaseNameSchema, phase, 'phase');
  if (!run.phaseNames.includes(phase)) throw phaseNotInRunError(run.id, phase, run.phaseNames);
  if (version !== undefined) parseWith(versionNumberSchema, version, 'version');
  const found = await deps.store.getPhase(tenantId, runId, phase, version);
  if (found !== undefined) return found;
  if (version === undefined) throw new NotFoundError(`Phase "${phase}" has not been written yet.`, { code: 'phase_not_written' });
  throw new NotFoundError(`Version ${version} of phase "${phase}" does not exist.`, { code: 'phase_version_not_found' });
}

export async function phaseHistory(
  deps: RunDeps,
  target: { tenantId: string; runId: string; phase: string },
  page: PageRequest = {},
): Promise<Page<PhaseVersion>> {
  const run = await requireRun(deps, target.tenantId, target.runId);
  parseWith(phaseNameSchema, target.phase, 'phase');
  if (!run.phaseNames.includes(target.phase)) throw phaseNotInRunError(run.id, target.phase, run.phaseNames);
  return deps.store.listPhaseVersions(target.tenantId, target.runId, target.phase, page);
}

/** A run with the newest version of each phase (seed 001's `get_context`). */
export async function readRunContext(deps: RunDeps, tenantId: string, runId: string): Promise<RunContext> {
  const run = await requireRun(deps, tenantId, runId);
  const current = await deps.store.currentPhases(tenantId, runId);
  const phases: Record<string, PhaseVersion | null> = {};
  for (const name of run.phaseNames) phases[name] = current.find((version) => version.phase === name) ?? null;
  return { ...run, phases };
}
