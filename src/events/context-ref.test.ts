import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventContext } from '../core/event-context.js';
import { contextRefOf, refAgent, refKind } from './context-ref.js';
import { ContextRefParts } from './context-ref-parts.js';

const serialize = canonicalize as unknown as (input: unknown) => string;

/** The reference as specified, written plainly: sha256 (hex) of the length-prefixed fields, first 24 digits. */
function specifiedRef(tenantId: string, eventName: string, context: EventContext): string {
  const field = (value: string | null): string => (value === null ? '-' : `${value.length}:${value}`);
  const custom = Object.keys(context.custom).length === 0 ? '{}' : serialize(context.custom);
  const text = [
    tenantId,
    eventName,
    context.eventId,
    context.correlationId,
    context.parentEventId,
    context.rootEventId,
    String(context.depth),
    context.agentId,
    context.clientId,
    context.sessionId,
    context.originator,
    context.timestamp,
    context.traceId,
    context.spanId,
    custom,
  ]
    .map(field)
    .join('');
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 24);
  return `ctx_${refKind(eventName)}_${refAgent(context.agentId)}_${hash}`;
}

const context: EventContext = {
  eventId: 'evt_00f067aa0ba902b7',
  correlationId: 'corr_1',
  parentEventId: null,
  rootEventId: 'evt_00f067aa0ba902b7',
  depth: 0,
  agentId: 'planner',
  clientId: 'web',
  sessionId: 's1',
  originator: null,
  timestamp: '2026-01-02T03:04:05.678Z',
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  custom: {},
};

describe('context references', () => {
  it('are the stored ones: the same bytes as every earlier version (ASCII, non-ASCII and long texts)', () => {
    expect(contextRefOf('acme', 'completion:request', context)).toBe('ctx_completion_planner_300ee81b7732532f01b726fa');
    const accented = {
      ...context,
      eventId: 'évt-1',
      agentId: 'analyst-agent',
      parentEventId: 'evt_1',
      depth: 3,
      custom: { z: 1, a: ['ü', 2] },
    };
    expect(contextRefOf('acme', 'job.step', accented)).toBe('ctx_job_analyst_agent_20ebfc0921c236ab97c09368');
    const long = { ...context, agentId: null, custom: { big: 'q'.repeat(3000) } };
    expect(contextRefOf('acme', 'x', long)).toBe('ctx_x_system_dab2c409c3ceb7b8835e316d');
  });

  it('equal the specified hash for any context, and report their parts', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 16, maxLength: 32 }),
    );
    const nullable = fc.option(text, { nil: null });
    const contexts = fc.record({
      eventId: text,
      correlationId: text,
      parentEventId: nullable,
      rootEventId: text,
      depth: fc.integer({ min: 0, max: 1000 }),
      agentId: nullable,
      clientId: nullable,
      sessionId: nullable,
      originator: nullable,
      timestamp: text,
      traceId: text,
      spanId: text,
      custom: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), fc.string({ maxLength: 600 }), fc.boolean())),
    });
    fc.assert(
      fc.property(text, fc.constantFrom('a.b', 'completion:request', 'tool:result'), contexts, (tenantId, name, value) => {
        const parts = new ContextRefParts();
        const ref = contextRefOf(tenantId, name, value, undefined, parts);
        expect(ref).toBe(specifiedRef(tenantId, name, value));
        expect(parts.ref).toBe(ref);
        expect(ref.startsWith(parts.prefix)).toBe(true);
        const words = [parts.h0, parts.h1, parts.h2].map((word) => word.toString(16).padStart(8, '0')).join('');
        expect(`${parts.prefix}${words}`).toBe(ref);
      }),
      { numRuns: 500 },
    );
  });
});
