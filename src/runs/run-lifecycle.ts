import { ValidationError } from '../core/errors.js';
import type { JsonObject } from '../core/json.js';
import type { RemovedRun, Run, RunErrorEntry, RunStatus } from '../core/run.js';
import { isFinishedRunStatus } from '../core/run.js';
import { runFinishedError } from '../store/run-store-errors.js';
import { canonicalJson } from '../updates/content-hash.js';
import { parseWith } from '../validation/parse.js';
import { ESCAPED_NUL } from './phase-data.js';
import { retryOnConflict } from './retry-on-conflict.js';
import { emitRemoved, expiryCutoff, limitsOf, type RunDeps, requireRun, requireTenant } from './run-deps.js';
import { newRunId } from './run-ids.js';
import {
  type CreateRunInput,
  createRunInputSchema,
  type LogErrorInput,
  logErrorInputSchema,
  MAX_ERROR_LOG_ENTRIES,
  phaseNameSchema,
  runStatusSchema,
} from './run-input.js';
import { DEFAULT_TEMPLATE_NAME, unknownTemplate } from './run-templates.js';

const MAX_METADATA_BYTES = 64 * 1024;

/** The template and phase list of a new run: the template's phases, a subset of them, or an ad-hoc list. */
function phasesOf(deps: RunDeps, input: { template?: string | undefined; phases?: string[] | undefined }) {
  if (input.template === undefined && input.phases !== undefined) return { template: null, phaseNames: input.phases };
  const name = input.template ?? DEFAULT_TEMPLATE_NAME;
  const template = deps.templates.get(name);
  if (template === undefined) throw unknownTemplate(name);
  const all = template.phases.map((phase) => phase.name);
  if (input.phases === undefined) return { template: name, phaseNames: all };
  const foreign = input.phases.filter((phase) => !all.includes(phase));
  if (foreign.length > 0) {
    throw new ValidationError(`The template "${name}" has no phase ${foreign.map((phase) => `"${phase}"`).join(', ')}.`, {
      code: 'phase_not_in_template',
    });
  }
  return { template: name, phaseNames: all.filter((phase) => input.phases?.includes(phase)) };
}

function checkMetadata(metadata: JsonObject): void {
  const text = canonicalJson(metadata);
  if (ESCAPED_NUL.test(text)) throw new ValidationError('The run metadata contains a NUL character.', { code: 'nul_character' });
  if (Buffer.byteLength(text, 'utf8') > MAX_METADATA_BYTES) {
    throw new ValidationError(`The run metadata is over ${MAX_METADATA_BYTES} bytes.`, { code: 'value_too_large' });
  }
}

export async function createRun(deps: RunDeps, input: CreateRunInput): Promise<Run> {
  const parsed = parseWith(createRunInputSchema, input, 'run');
  await requireTenant(deps, parsed.tenantId);
  const metadata = (parsed.metadata ?? {}) as JsonObject;
  checkMetadata(metadata);
  const now = deps.now();
  const run: Run = {
    tenantId: parsed.tenantId,
    id: newRunId(),
    ...phasesOf(deps, parsed),
    targetPath: parsed.targetPath,
    focusAreas: parsed.focusAreas,
    status: 'running',
    currentPhase: null,
    errorLog: [],
    metadata,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    revision: 1,
  };
  const result = await deps.store.insert({ run, phaseVersions: [], limits: limitsOf(deps) });
  emitRemoved(deps, result.removed);
  deps.bus.emit('run.created', { tenantId: run.tenantId, runId: run.id, run: result.run });
  return result.run;
}

/**
 * Changes the run row with a compare-and-set on its revision, re-reading and re-deciding on a conflict. `decide`
 * returns the changes, or undefined when the run is already as asked (nothing is written).
 */
async function changeRun(
  deps: RunDeps,
  tenantId: string,
  runId: string,
  decide: (run: Run) => Omit<Parameters<RunDeps['store']['update']>[3], 'updatedAt'> | undefined,
): Promise<{ before: Run; after: Run } | { unchanged: Run }> {
  return retryOnConflict(['run_revision_conflict'], `Changing run "${runId}"`, async () => {
    const run = await requireRun(deps, tenantId, runId);
    const changes = decide(run);
    if (changes === undefined) return { unchanged: run };
    const after = await deps.store.update(tenantId, runId, run.revision, { ...changes, updatedAt: deps.now() });
    return { before: run, after };
  });
}

/** Seed 001's `update_phase`: the phase the pipeline is in now. */
export async function setCurrentPhase(deps: RunDeps, tenantId: string, runId: string, phase: string): Promise<Run> {
  parseWith(phaseNameSchema, phase, 'phase');
  const result = await changeRun(deps, tenantId, runId, (run) => {
    if (isFinishedRunStatus(run.status)) throw runFinishedError(run.id, run.status);
    if (!run.phaseNames.includes(phase)) {
      throw new ValidationError(`Run "${run.id}" has no phase "${phase}"; its phases are ${run.phaseNames.join(', ')}.`, {
        code: 'phase_not_in_run',
      });
    }
    return run.currentPhase === phase ? undefined : { currentPhase: phase };
  });
  if ('unchanged' in result) return result.unchanged;
  const { before, after } = result;
  deps.bus.emit('run.phase_changed', { tenantId, runId, from: before.currentPhase, to: phase, run: after });
  return after;
}

/** running → completed | failed | cancelled. A finished run keeps its status (asking for the same one is a no-op). */
export async function setRunStatus(deps: RunDeps, tenantId: string, runId: string, status: RunStatus): Promise<Run> {
  parseWith(runStatusSchema, status, 'status');
  const result = await changeRun(deps, tenantId, runId, (run) => {
    if (run.status === status) return undefined;
    if (isFinishedRunStatus(run.status)) throw runFinishedError(run.id, run.status);
    return { status, finishedAt: isFinishedRunStatus(status) ? deps.now() : null };
  });
  if ('unchanged' in result) return result.unchanged;
  const { before, after } = result;
  deps.bus.emit('run.status_changed', { tenantId, runId, from: before.status, to: status, run: after });
  return after;
}

/** Appends to the run's error log (the newest MAX_ERROR_LOG_ENTRIES are kept); refused once the run is finished. */
export async function logRunError(deps: RunDeps, tenantId: string, runId: string, input: LogErrorInput): Promise<Run> {
  const parsed = parseWith(logErrorInputSchema, input, 'error entry');
  const entry: RunErrorEntry = { at: deps.now(), message: parsed.message };
  if (parsed.phase !== undefined) entry.phase = parsed.phase;
  if (parsed.agent !== undefined) entry.agent = parsed.agent;
  const result = await changeRun(deps, tenantId, runId, (run) => {
    if (isFinishedRunStatus(run.status)) throw runFinishedError(run.id, run.status);
    return { errorLog: [...run.errorLog, entry].slice(-MAX_ERROR_LOG_ENTRIES) };
  });
  const run = 'unchanged' in result ? result.unchanged : result.after;
  deps.bus.emit('run.error_logged', { tenantId, runId, error: entry });
  return run;
}

/** Deletes a finished run (ConflictError `run_running` for a running one). */
export async function deleteRun(deps: RunDeps, tenantId: string, runId: string): Promise<void> {
  await requireRun(deps, tenantId, runId);
  if (!(await deps.store.delete(tenantId, runId))) return;
  emitRemoved(deps, [{ tenantId, runId, reason: 'deleted' }]);
}

/** Removes the expired finished runs of one tenant, or of all (maintenance); running runs are never touched. */
export async function purgeExpiredRuns(deps: RunDeps, tenantId?: string): Promise<RemovedRun[]> {
  if (tenantId !== undefined) await requireTenant(deps, tenantId);
  const cutoff = expiryCutoff(deps);
  if (cutoff === undefined) return [];
  const removed = await deps.store.purgeExpired(cutoff, tenantId);
  emitRemoved(deps, removed);
  return removed;
}
