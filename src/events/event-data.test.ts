import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertEventData } from './event-data.js';

/** What assertEventData promised before its fast path: JSON.stringify then JSON.parse. */
function viaJson(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? null : JSON.parse(text);
}

describe('event data', () => {
  it('equals a JSON round trip for any JSON-ish value, and is a copy', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true, maxDepth: 4 }), (value) => {
        let expected: unknown;
        try {
          expected = viaJson(value);
        } catch {
          expect(() => assertEventData(value, 1024 * 1024)).toThrow();
          return;
        }
        const copy = assertEventData(value, 1024 * 1024);
        expect(copy).toStrictEqual(value === undefined ? null : expected);
        if (typeof value === 'object' && value !== null) expect(copy).not.toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it('applies JSON conversions exactly (toJSON, undefined members, NaN, -0, __proto__ keys)', () => {
    const date = new Date(0);
    const value = { date, gone: undefined, list: [undefined, Number.NaN, -0], nested: { toJSON: () => 'x' } };
    expect(assertEventData(value, 1024)).toStrictEqual(viaJson(value));
    const proto = JSON.parse('{"__proto__": {"polluted": true}}');
    const copy = assertEventData(proto, 1024) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__']);
  });

  it('refuses cycles, BigInts and data over the limit, counting UTF-8 bytes', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => assertEventData(cycle, 1024)).toThrow(/not JSON/);
    expect(() => assertEventData({ big: 1n }, 1024)).toThrow(/not JSON/);
    expect(() => assertEventData('x'.repeat(1023), 1024)).toThrow(/more than 1024 bytes/);
    expect(assertEventData('x'.repeat(1022), 1024)).toBe('x'.repeat(1022));
    expect(() => assertEventData({ text: 'é'.repeat(600) }, 1024)).toThrow(/more than 1024 bytes/);
    const copied = { list: ['a'] };
    const stored = assertEventData(copied, 1024) as { list: string[] };
    copied.list.push('b');
    expect(stored.list).toEqual(['a']);
  });
});
