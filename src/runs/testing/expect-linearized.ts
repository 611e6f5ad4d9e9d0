import { expect } from 'vitest';
import type { JsonValue } from '../../core/json.js';
import type { PhaseVersion } from '../../core/run.js';
import type { Engine } from '../../engine.js';

type Reader = Pick<Engine, 'runs'>;

async function fullHistory(engine: Reader, tenantId: string, runId: string, phase: string): Promise<PhaseVersion[]> {
  const versions: PhaseVersion[] = [];
  let cursor: string | undefined;
  do {
    const page = await engine.runs.phaseHistory(tenantId, runId, phase, { cursor, limit: 500 });
    versions.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return versions;
}

function keysOf(data: JsonValue): string[] {
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? Object.keys(data).sort() : [];
}

/**
 * After `count` merge patches that each added one distinct key: the phase has exactly `count` versions 1..count, every
 * version holds every key of the one before plus exactly one more (each write saw all earlier ones: linearizable), and
 * the newest holds all `count` keys (nothing lost).
 */
export async function expectLinearizedMerges(engine: Reader, tenantId: string, runId: string, phase: string, count: number) {
  const history = await fullHistory(engine, tenantId, runId, phase);
  expect(history.map((version) => version.version)).toEqual(Array.from({ length: count }, (_, index) => index + 1));
  let previous: string[] = [];
  for (const version of history) {
    const keys = keysOf(version.data);
    expect(keys.length, `version ${version.version}`).toBe(previous.length + 1);
    expect(keys, `version ${version.version}`).toEqual(expect.arrayContaining(previous));
    previous = keys;
  }
  return previous;
}
