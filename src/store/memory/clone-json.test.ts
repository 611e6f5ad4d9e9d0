import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cloneJson } from './clone-json.js';

describe('cloneJson', () => {
  it('copies any JSON value deeply', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = cloneJson(value);
        expect(copy).toStrictEqual(value);
        if (typeof value === 'object' && value !== null) expect(copy).not.toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  it('shares nothing with the original', () => {
    const original = { run: { errorLog: [{ at: 'now', message: 'm', phase: undefined }] }, tags: ['a'] };
    const copy = cloneJson(original);
    copy.run.errorLog[0] = { at: 'later', message: 'changed', phase: undefined };
    copy.tags.push('b');
    expect(original).toStrictEqual({ run: { errorLog: [{ at: 'now', message: 'm', phase: undefined }] }, tags: ['a'] });
  });

  it('falls back to structuredClone for class instances and own __proto__ keys', () => {
    const date = new Date(0);
    const copied = cloneJson({ date });
    expect(copied.date).toBeInstanceOf(Date);
    expect(copied.date).not.toBe(date);
    const withProto = JSON.parse('{"__proto__": {"x": 1}, "a": 1}') as Record<string, unknown>;
    const copy = cloneJson(withProto);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
  });
});
