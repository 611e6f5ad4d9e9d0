import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../core/json.js';
import { contentHashOf } from '../updates/content-hash.js';
import { jsonValueSchema } from '../validation/schemas.js';
import { originalAnalysisSchema } from './evolution-template.js';
import { preparePhaseData } from './phase-data.js';

const MAX = 1024 * 1024;

describe('preparePhaseData', () => {
  it('hashes and measures any JSON value as its canonical JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const prepared = preparePhaseData('notes', value, jsonValueSchema, MAX);
        const expected = jsonValueSchema.parse(value);
        expect(prepared.data).toStrictEqual(expected);
        expect(prepared.contentHash).toBe(contentHashOf(expected));
      }),
      { numRuns: 300 },
    );
  });

  it('returns data the caller cannot change afterwards, fields a loose schema passes through included', () => {
    const extra = { owner: 'analysis-agent', tags: ['a'] };
    const input = { filesAnalyzed: 3, extra };
    const prepared = preparePhaseData('original_analysis', input, originalAnalysisSchema, MAX);
    extra.tags.push('b');
    extra.owner = 'someone else';
    expect(prepared.data).toEqual({
      filesAnalyzed: 3,
      extra: { owner: 'analysis-agent', tags: ['a'] },
      metrics: {},
      issues: [],
      improvements: [],
    });
    expect(prepared.contentHash).toBe(contentHashOf(prepared.data));
  });

  it('refuses what jsonValueSchema refuses, on the exact path', () => {
    for (const value of [undefined, Number.NaN, new Date(0), { a: undefined }, [1, undefined]]) {
      expect(() => preparePhaseData('notes', value, jsonValueSchema, MAX)).toThrow(
        expect.objectContaining({ code: 'invalid_phase_data' }),
      );
    }
  });

  it('drops an own __proto__ key as zod does, and refuses NUL characters and oversized data', () => {
    const withProto = JSON.parse('{"a":1,"__proto__":{"polluted":true}}') as JsonValue;
    expect(preparePhaseData('notes', withProto, jsonValueSchema, MAX).data).toEqual({ a: 1 });
    expect(() => preparePhaseData('notes', { text: 'a\u0000b' }, jsonValueSchema, MAX)).toThrow(
      expect.objectContaining({ code: 'nul_character' }),
    );
    expect(preparePhaseData('notes', { text: 'a\\u0000b' }, jsonValueSchema, MAX).sizeBytes).toBe(20);
    expect(() => preparePhaseData('notes', { text: 'x'.repeat(100) }, jsonValueSchema, 50)).toThrow(
      expect.objectContaining({ code: 'value_too_large' }),
    );
  });
});
