import { describe, expect, it } from 'vitest';
import type { Criticality, Injection } from '../core/injection.js';
import { createModePolicy } from './stream-modes.js';

function injectionOf(criticality: Criticality): Injection {
  return {
    id: criticality,
    tenantId: 't',
    sessionId: 's',
    packet: { metadata: { priority: 50, criticality, source: 'test' } },
    at: 'turn-end',
    preparedAt: 0,
    contentHash: 'h',
    tokens: 0,
  };
}

const all: Criticality[] = ['critical', 'important', 'helpful', 'optional'];
const pushedBy = (policy: ReturnType<typeof createModePolicy>) => all.filter((level) => policy.shouldPush(injectionOf(level)));

describe('createModePolicy', () => {
  it('passive pushes nothing, active everything, hybrid what matters', () => {
    expect(pushedBy(createModePolicy('passive'))).toEqual([]);
    expect(pushedBy(createModePolicy('active'))).toEqual(all);
    expect(pushedBy(createModePolicy('hybrid'))).toEqual(['critical', 'important']);
    expect(pushedBy(createModePolicy('hybrid', { pushCriticalities: ['critical'] }))).toEqual(['critical']);
  });

  it('is frozen and names its mode', () => {
    const policy = createModePolicy('hybrid');
    expect(policy.mode).toBe('hybrid');
    expect(Object.isFrozen(policy)).toBe(true);
    expect(() => createModePolicy('sideways' as never)).toThrow(/unknown stream mode/);
  });
});
