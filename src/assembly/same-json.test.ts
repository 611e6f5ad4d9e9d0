import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../core/json.js';
import { canonicalJson } from '../updates/content-hash.js';
import { sameJson } from './same-json.js';

/** `stored` as the memo keeps it: parsed back from canonical JSON. */
const parsed = (value: JsonValue) => JSON.parse(canonicalJson(value)) as JsonValue;

describe('sameJson', () => {
  it('answers true only for values with the same canonical JSON', () => {
    const stored = parsed({ b: [1, 'x', { c: null }], a: -0, d: 0.1 + 0.2 });
    expect(sameJson({ a: 0, b: [1, 'x', { c: null }], d: 0.30000000000000004 }, stored)).toBe(true);
    expect(sameJson({ a: 0, b: [1, 'x', { c: null }], d: 0.30000000000000004, e: undefined }, stored)).toBe(true);
    expect(sameJson(Object.assign(Object.create(null), { a: 0, b: [1, 'x', { c: null }], d: 0.1 + 0.2 }), stored)).toBe(true);
    expect(sameJson({ a: 0, b: [1, 'x', { c: null }] }, stored)).toBe(false);
    expect(sameJson({ a: 0, b: [1, 'x', { c: null }], d: 0.3 }, stored)).toBe(false);
    expect(sameJson({ a: 0, b: [1, 'x', { c: 0 }], d: 0.1 + 0.2 }, stored)).toBe(false);
    expect(sameJson({ a: 0, b: [1, 'x', { c: null }], d: 0.1 + 0.2, e: 1 }, stored)).toBe(false);
  });

  it('answers false for what canonical JSON would write differently or not at all', () => {
    expect(sameJson([1, undefined], parsed([1, null]))).toBe(false);
    // biome-ignore lint/suspicious/noSparseArray: a hole is the case under test
    expect(sameJson([1, , 3], parsed([1, 3]))).toBe(false);
    expect(sameJson(Number.NaN, Number.NaN as unknown as JsonValue)).toBe(false);
    expect(sameJson(new Date(0), parsed('1970-01-01T00:00:00.000Z'))).toBe(false);
    expect(sameJson({ a: () => 1 }, parsed({}))).toBe(false);
    expect(sameJson({ a: Symbol('a') }, parsed({}))).toBe(false);
    expect(sameJson([1], parsed({ 0: 1 }))).toBe(false);
  });
});
