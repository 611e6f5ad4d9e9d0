import type { Run } from '../../core/run.js';

/** One line per run for humans. */
export function describeRun(run: Run): string {
  const phase = run.currentPhase ?? '-';
  return `${run.id}  ${run.status}  phase ${phase}  ${run.targetPath}  (${run.phaseNames.length} phases, created ${run.createdAt})`;
}
