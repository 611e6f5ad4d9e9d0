import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../core/json.js';
import { canonicalJson } from '../updates/content-hash.js';
import { copyCanonicalJson } from './json-copy.js';
import { jsonValueSchema } from './schemas.js';

/** True when `value` or anything in it has an own `__proto__` key. */
function hasProtoKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasProtoKey);
  if (value === null || typeof value !== 'object') return false;
  return Object.hasOwn(value, '__proto__') || Object.values(value).some(hasProtoKey);
}

describe('copyCanonicalJson', () => {
  it('writes the text canonicalize writes and a deep copy equal to the input, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copied = copyCanonicalJson(value);
        // An own `__proto__` key is declined on purpose (the exact path decides; see below); fast-check makes some.
        if (hasProtoKey(value)) {
          expect(copied).toBeUndefined();
          return;
        }
        expect(copied).toBeDefined();
        expect(copied?.canonical).toBe(canonicalJson(value as JsonValue));
        expect(copied?.value).toStrictEqual(jsonValueSchema.parse(value));
      }),
      { numRuns: 500 },
    );
  });

  it('sorts keys by UTF-16 code units and keeps the input key order in the copy', () => {
    const input = { b: 1, a: { d: [1, 'x'], c: null }, é: true, '\u{1F600}': 0, '\uFFFF': 1, '10': 2, '9': 3 };
    const copied = copyCanonicalJson(input);
    expect(copied?.canonical).toBe(canonicalJson(input));
    expect(Object.keys(copied?.value as object)).toEqual(Object.keys(input));
  });

  it('owns its copy: changing the input afterwards changes neither the copy nor its text', () => {
    const input = { list: [{ name: 'a' }], nested: { value: 1 } };
    const copied = copyCanonicalJson(input);
    input.list[0] = { name: 'changed' };
    input.nested.value = 2;
    expect(copied?.value).toEqual({ list: [{ name: 'a' }], nested: { value: 1 } });
    expect(copied?.canonical).toBe('{"list":[{"name":"a"}],"nested":{"value":1}}');
  });

  it('declines what is not plain JSON, leaving the decision to the exact path', () => {
    const withSymbol = { a: 1, [Symbol('s')]: 2 };
    const withProto = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
    for (const value of [
      undefined,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      () => 1,
      10n,
      new Date(0),
      new Map(),
      [1, undefined],
      // biome-ignore lint/suspicious/noSparseArray: a hole is what is tested
      [1, , 3],
      { a: undefined },
      withSymbol,
      withProto,
      Object.assign(Object.create({ inherited: 1 }) as object, { own: 1 }),
    ]) {
      expect(copyCanonicalJson(value)).toBeUndefined();
    }
  });

  it('accepts objects without a prototype', () => {
    const bare = Object.assign(Object.create(null) as object, { b: 2, a: 1 });
    expect(copyCanonicalJson(bare)?.canonical).toBe('{"a":1,"b":2}');
  });
});
