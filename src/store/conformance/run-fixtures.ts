import type { JsonValue } from '../../core/json.js';
import type { PhaseVersion, Run } from '../../core/run.js';
import type { AppendPhaseCommand, RunLimits } from '../run-store.js';
import type { Store } from '../store.js';
import { instant, isErrorWithCode } from './fixtures.js';

export const PHASES = ['analysis', 'research', 'plan'];
export const NO_LIMITS: RunLimits = { maxRunsPerTenant: 1_000_000 };

export function makeRun(tenantId: string, id: string, overrides: Partial<Run> = {}): Run {
  return {
    tenantId,
    id,
    template: null,
    phaseNames: [...PHASES],
    targetPath: './project',
    focusAreas: ['docs'],
    status: 'running',
    currentPhase: null,
    errorLog: [],
    metadata: {},
    createdAt: instant(1),
    updatedAt: instant(1),
    finishedAt: null,
    revision: 1,
    ...overrides,
  };
}

/** A finished run (completed at `finishedSecond`). */
export function finishedRun(tenantId: string, id: string, createdSecond: number, finishedSecond: number): Run {
  return makeRun(tenantId, id, {
    status: 'completed',
    createdAt: instant(createdSecond),
    updatedAt: instant(finishedSecond),
    finishedAt: instant(finishedSecond),
  });
}

export function insertRun(store: Store, run: Run, limits: RunLimits = NO_LIMITS, phaseVersions: PhaseVersion[] = []) {
  return store.runs.insert({ run, phaseVersions, limits });
}

export function appendCommand(
  tenantId: string,
  runId: string,
  phase: string,
  data: JsonValue,
  expectedVersion: number | null,
): AppendPhaseCommand {
  const text = JSON.stringify(data);
  return {
    tenantId,
    runId,
    phase,
    expectedVersion,
    data,
    contentHash: `hash-${text}`,
    sizeBytes: Buffer.byteLength(text),
    author: 'agent',
    createdAt: instant(2),
  };
}

/** Appends `data` to a phase on top of its newest version, retrying on phase_version_conflict until it lands. */
export async function appendWithRetry(store: Store, tenantId: string, runId: string, phase: string, data: JsonValue) {
  for (let attempt = 0; attempt < 10_000; attempt += 1) {
    const current = await store.runs.getPhase(tenantId, runId, phase);
    try {
      return await store.runs.appendPhase(appendCommand(tenantId, runId, phase, data, current?.version ?? null));
    } catch (error) {
      if (!isErrorWithCode(error, 'phase_version_conflict')) throw error;
    }
  }
  throw new Error('A phase writer never got its turn.');
}
