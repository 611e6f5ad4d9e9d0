import type { Criticality, Injection, SyncPoint } from '../../core/injection.js';

/** What a test or bench usually varies in an injection. */
export interface TestInjectionInput {
  id?: string;
  priority?: number;
  criticality?: Criticality;
  at?: SyncPoint;
  preparedAt?: number;
  expiresAt?: number;
  deadlineAt?: number;
  contentHash?: string;
  tokens?: number;
}

let counter = 0;

/** A well-formed injection for tests and benches (content hash defaults to a unique value). */
export function testInjection(input: TestInjectionInput = {}): Injection {
  counter++;
  const id = input.id ?? `inj-${counter}`;
  return {
    id,
    tenantId: 'tenant-a',
    sessionId: 'session-1',
    packet: {
      information: { note: id },
      metadata: { priority: input.priority ?? 50, criticality: input.criticality ?? 'helpful', source: 'test' },
    },
    at: input.at ?? 'turn-end',
    preparedAt: input.preparedAt ?? 0,
    expiresAt: input.expiresAt,
    deadlineAt: input.deadlineAt,
    contentHash: input.contentHash ?? `hash-${id}`,
    tokens: input.tokens ?? 10,
  };
}
