import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../core/json.js';
import { canonicalJson, sha256Hex } from '../updates/content-hash.js';
import { canonicalKnowledgeItem } from './canonical-knowledge-item.js';
import { SnapshotHasher } from './snapshot-hasher.js';

/** What assembly records have always stored and replays check: sha256 of the canonical JSON. */
const reference = (payload: JsonValue) => sha256Hex(canonicalJson(payload));

const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    '',
    'naïve',
    '日本語',
    '🙂',
    '\ud800 lone',
    '"quoted" \\ back',
    'line\u2028sep',
    '\u0000\u001f',
    '<|endoftext|>',
  ),
);
const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(1e21, -0, 0.1 + 0.2, 5e-324, 1e-7, 2 ** 53 + 2, 0.5),
);
const json = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>;
const metadata = fc.dictionary(text, fc.oneof(json, number), { maxKeys: 4 }) as fc.Arbitrary<JsonObject>;
/** Optional fields: absent, present, or present as undefined (which canonical JSON leaves out). */
const optional = <T>(value: fc.Arbitrary<T>) => fc.oneof(fc.constant('absent' as const), fc.constant(undefined), value);
const withOptional = (item: Record<string, unknown>): JsonObject =>
  Object.fromEntries(Object.entries(item).filter(([, value]) => value !== 'absent')) as JsonObject;

// Small pools of ids and times, so the same item comes back with other fields (the memo's hits and near-misses).
const id = fc.constantFrom('k1', 'k2', 'msg_1', 'bench');
const at = fc.constantFrom('2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z');

const knowledge = fc
  .record({
    layer: fc.constant('knowledge'),
    id,
    chunkId: optional(fc.constantFrom('k1#0', 'k1#1')),
    text: fc.oneof(fc.constantFrom('Payroll pricing benchmarks.'), text),
    score: optional(number),
    createdAt: at,
    milestone: optional(fc.constantFrom('M0', 'M1')),
    metadata: fc.oneof(fc.constant({}), metadata),
  })
  .map(withOptional);
const session = fc.record({
  layer: fc.constant('session'),
  id,
  role: fc.constantFrom('user', 'assistant'),
  content: text,
  createdAt: at,
});
const journey = fc.record({
  layer: fc.constant('journey'),
  milestone: fc.constantFrom('M0', 'M1'),
  name: text,
  revision: fc.nat(2),
  completedAt: at,
  keyDecisions: fc.array(text, { maxLength: 3 }),
  data: metadata,
});
const document = fc.record({
  layer: fc.constant('documents'),
  key: fc.constantFrom('product/overview'),
  version: fc.nat(2),
  source: text,
  author: text,
  createdAt: at,
  value: json,
});
/** Shapes off the fast paths: unknown keys, odd types, no layer. */
const odd = fc.oneof(
  knowledge.map((item) => ({ ...item, extra: 1 })),
  knowledge.map((item) => ({ ...item, id: 7 })),
  knowledge.map((item) => ({ ...item, metadata: [1, 2] })),
  fc.record({ layer: text, id, value: json }),
  json,
);
const payload = fc.oneof(knowledge, knowledge, session, journey, document, odd) as fc.Arbitrary<JsonValue>;

describe('canonicalKnowledgeItem', () => {
  it('writes exactly what canonicalJson writes for a knowledge item', () => {
    fc.assert(
      fc.property(knowledge, (item) => {
        expect(canonicalKnowledgeItem(item)).toBe(canonicalJson(item));
      }),
      { numRuns: 500 },
    );
  });

  it('declines any other shape, so the caller canonicalises it in general', () => {
    const item = { layer: 'knowledge', id: 'k1', text: 'x', score: 0.5, createdAt: 'now', metadata: {} };
    expect(canonicalKnowledgeItem(item)).toBe(canonicalJson(item));
    for (const other of [
      { ...item, extra: true },
      { ...item, score: Number.NaN },
      { ...item, score: Number.POSITIVE_INFINITY },
      { ...item, id: 1 },
      { ...item, chunkId: null },
      { ...item, metadata: null },
      { ...item, metadata: ['a'] },
      { ...item, layer: 'session' },
    ]) {
      expect(canonicalKnowledgeItem(other as unknown as JsonObject)).toBeUndefined();
    }
    expect(canonicalKnowledgeItem({ ...item, metadata: new Date(0) } as unknown as JsonObject)).toBeUndefined();
  });
});

describe('SnapshotHasher', () => {
  it('answers sha256 of the canonical JSON for every payload, in any sequence', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(payload, number), { maxLength: 40 }), (steps) => {
        const hasher = new SnapshotHasher();
        for (const [each, score] of steps) {
          expect(hasher.hash(each)).toBe(reference(each));
          // The same item for another query: another score (a key any payload may carry).
          const rescored = typeof each === 'object' && each !== null && !Array.isArray(each) ? { ...each, score } : each;
          expect(hasher.hash(rescored)).toBe(reference(rescored));
        }
        // Again, now that the memo holds them.
        for (const [each] of steps) expect(hasher.hash(each)).toBe(reference(each));
      }),
      { numRuns: 300 },
    );
  });

  it('pins the edge values: unicode, 1e21, -0, 0.1 + 0.2, nested metadata, scores that change', () => {
    const hasher = new SnapshotHasher();
    const base = {
      layer: 'knowledge',
      id: 'k1',
      chunkId: 'k1#0',
      text: 'Naïve 日本語 🙂 \ud800 "q" \\ \n\t\u2028',
      createdAt: '2026-01-01T00:00:00.000Z',
      milestone: 'M1',
      metadata: { z: [1e21, -0, 0.1 + 0.2, { b: null, a: '\u00e9' }], a: { nested: { deeper: [true, false] } }, '': 5e-324 },
    };
    for (const score of [0.5, 0.1 + 0.2, -0, 0, 1e21, 1e-7, 0.5, 1]) {
      const item = { ...base, score } as JsonObject;
      expect(hasher.hash(item)).toBe(reference(item));
    }
    expect(hasher.hash({ ...base, score: -0 } as JsonObject)).toBe(hasher.hash({ ...base, score: 0 } as JsonObject));
    const session = { layer: 'session', id: 'msg_1', role: 'user', content: 'Hello', createdAt: base.createdAt };
    expect(hasher.hash(session)).toBe(reference(session));
    expect(hasher.hash({ ...session, content: 'Hello!' })).toBe(reference({ ...session, content: 'Hello!' }));
    expect(hasher.hash({ ...session, extra: undefined } as unknown as JsonObject)).toBe(reference(session));
  });

  it('is not fooled by a payload changed after it was hashed', () => {
    const hasher = new SnapshotHasher();
    const data = { idea: 'payroll' };
    const item = { layer: 'journey', milestone: 'M0', name: 'M0', revision: 1, completedAt: 'now', keyDecisions: [], data };
    const first = hasher.hash(item);
    data.idea = 'boxes';
    expect(hasher.hash(item)).toBe(reference(item));
    expect(hasher.hash(item)).not.toBe(first);
    data.idea = 'payroll';
    expect(hasher.hash(item)).toBe(first);
  });

  it('fails as canonicalJson fails on what JSON cannot hold', () => {
    const hasher = new SnapshotHasher();
    const item = { layer: 'knowledge', id: 'k1', text: 'x', score: 0.5, createdAt: 'now', metadata: {} };
    hasher.hash(item);
    for (const score of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const bad = { ...item, score };
      expect(() => hasher.hash(bad)).toThrow();
      expect(() => reference(bad)).toThrow();
    }
  });
});
