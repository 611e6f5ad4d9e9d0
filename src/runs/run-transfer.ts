import type { JsonValue } from '../core/json.js';
import type { PhaseVersion, Run } from '../core/run.js';
import { describeIssues } from '../validation/parse.js';
import { compareRun, type RunComparison } from './run-comparison.js';
import { emitRemoved, limitsOf, type RunDeps, requireRun, requireTenant } from './run-deps.js';
import { buildRunExport, encodeRunExport } from './run-export.js';
import { newRunId } from './run-ids.js';
import { decodeRunExport, invalidRunExport } from './run-import.js';

export interface ExportRunOptions {
  /** gzip the file (default: the `runs.compression` setting). */
  compression?: boolean | undefined;
}

export interface ImportRunOptions {
  /** Give the imported run a new id (to import a run next to its original). */
  newId?: boolean | undefined;
}

/** A run export file: gzip-compressed (or plain) JSON with a sha256 checksum; see docs/runs.md. */
export async function exportRun(deps: RunDeps, tenantId: string, runId: string, options: ExportRunOptions = {}): Promise<Buffer> {
  const run = await requireRun(deps, tenantId, runId);
  const versions = await deps.store.allPhaseVersions(tenantId, runId);
  const document = buildRunExport(run, versions, deps.now());
  return encodeRunExport(document, options.compression ?? deps.config.compression);
}

/**
 * Imports a run export into a tenant (the tenant of the export does not matter). The whole file is checked first
 * (see decodeRunExport), the data of every phase against its template's schema too; then the run and all its phase
 * versions are written in one transaction, under the tenant's limits. A run with the same id is a ConflictError
 * `run_exists` unless `newId` is set.
 */
export async function importRun(
  deps: RunDeps,
  tenantId: string,
  bytes: Uint8Array,
  options: ImportRunOptions = {},
): Promise<Run> {
  await requireTenant(deps, tenantId);
  const document = await decodeRunExport(bytes, deps.config.maxImportBytes);
  const run: Run = { ...document.run, tenantId, id: options.newId === true ? newRunId() : document.run.id };
  for (const version of document.phaseVersions) {
    const result = deps.templates.schemaOf(run, version.phase).safeParse(version.data);
    if (!result.success) {
      throw invalidRunExport(
        `Version ${version.version} of phase "${version.phase}" does not satisfy the template: ${describeIssues(result.error.issues)}`,
      );
    }
  }
  const phaseVersions: PhaseVersion[] = document.phaseVersions.map((version) => ({
    ...version,
    data: version.data as JsonValue,
    tenantId,
    runId: run.id,
  }));
  const result = await deps.store.insert({ run, phaseVersions, limits: limitsOf(deps) });
  emitRemoved(deps, result.removed);
  deps.bus.emit('run.created', { tenantId, runId: run.id, run: result.run });
  return result.run;
}

/** Seed 001's `get_comparison_data`: before, plan, after, implementation and the metric delta. */
export async function comparisonOf(deps: RunDeps, tenantId: string, runId: string): Promise<RunComparison> {
  const run = await requireRun(deps, tenantId, runId);
  const roles = deps.templates.comparisonRoles(run);
  const read = (phase: string | undefined, version?: number) =>
    phase === undefined ? Promise.resolve(undefined) : deps.store.getPhase(tenantId, runId, phase, version);
  const [firstBefore, newestBefore, plan, implementation] = await Promise.all([
    read(roles.before, 1),
    read(roles.before),
    read(roles.plan),
    read(roles.implementation),
  ]);
  return compareRun({ runId, firstBefore, newestBefore, plan, implementation });
}
