import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import { compileRules } from './compile-rules.js';
import { parseInjectionRules, safeParseInjectionRules } from './parse-injection-rules.js';

const inject = { packet: { strategy: { tone: 'supportive' } }, criticality: 'important' };

function errorOf(rules: unknown[]): ValidationError {
  const result = safeParseInjectionRules({ rules });
  if (result.success) throw new Error('expected a validation error');
  return result.error;
}

describe('parseInjectionRules', () => {
  it('accepts every when type and fills nothing it was not given', () => {
    const whens = [
      { type: 'keyword', keywords: ['stressed', 'thanks that’s all', 'pric*'] },
      { type: 'pattern', patterns: ['order\\s*\\d+'], roles: ['user', 'assistant'] },
      { type: 'every', messages: 10 },
      { type: 'every', ms: 60_000, role: 'user' },
      { type: 'schedule', at: ['2026-11-21T10:00:00Z'] },
      { type: 'schedule', everyMs: 3_600_000, startAt: '2026-11-21T00:00:00Z' },
      { type: 'decay', firstAfter: 3, factor: 2, max: 4 },
      { type: 'sentiment', below: -0.5 },
      { type: 'emotion', emotions: ['stress', 'anger'] },
      { type: 'emotion-shift' },
      { type: 'topic', topics: [{ name: 'startup', keywords: ['startup'] }] },
      { type: 'topic-shift', threshold: 0.3 },
      { type: 'context-shift', aspects: ['topic', 'user'] },
      { type: 'state', conversation: 'start', relationship: 'returning' },
      { type: 'silence', ms: 5_000 },
      { type: 'event', name: 'help.requested', mode: 'on-demand' },
      { type: 'event', name: 'wrap-up', mode: 'predictive', afterMs: 1_800_000, leadMs: 120_000 },
      {
        type: 'all',
        of: [
          { type: 'keyword', keywords: ['x'] },
          { type: 'not', of: { type: 'state', user: 'idle', mode: 'while' } },
        ],
      },
      {
        type: 'any',
        of: [
          { type: 'silence', ms: 10 },
          { type: 'event', name: 'error', mode: 'corrective' },
        ],
      },
    ];
    const parsed = parseInjectionRules({ rules: whens.map((when, index) => ({ id: `rule-${index}`, when, inject })) });
    expect(parsed.rules).toHaveLength(whens.length);
    expect(parsed.rules[0]?.at).toBeUndefined();
    expect(compileRules(parsed).rules.map((rule) => rule.at)).toEqual(whens.map(() => 'turn-end'));
  });

  it('names the rule index, id and field of an invalid regex', () => {
    const error = errorOf([
      { id: 'fine', when: { type: 'keyword', keywords: ['a'] }, inject },
      { id: 'broken', when: { type: 'pattern', patterns: ['ok', '(unclosed'] }, inject },
    ]);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('invalid_injection_rules');
    expect(error.message).toMatch(/rule 1 \("broken"\), rules\[1\]\.when\.patterns\[1\]: invalid regular expression/);
    expect(error.details).toMatchObject({ ruleIndex: 1, ruleId: 'broken', field: 'rules[1].when.patterns[1]' });
  });

  it('refuses backtracking-prone and overlong patterns', () => {
    expect(errorOf([{ id: 'redos', when: { type: 'pattern', patterns: ['(a+)+b'] }, inject }]).message).toMatch(
      /nested unbounded/,
    );
    expect(errorOf([{ id: 'long', when: { type: 'pattern', patterns: ['a'.repeat(300)] }, inject }]).message).toMatch(
      /longer than 200/,
    );
  });

  it('refuses duplicate ids, bad ids, unknown types, both packet and assemble, neither', () => {
    const when = { type: 'every', messages: 3 };
    expect(
      errorOf([
        { id: 'a', when, inject },
        { id: 'a', when, inject },
      ]).message,
    ).toMatch(/rule 1 \("a"\), rules\[1\]\.id: duplicate id/);
    expect(errorOf([{ id: 'has space', when, inject }]).details).toMatchObject({ field: 'rules[0].id' });
    expect(errorOf([{ id: 'x', when: { type: 'telepathy' }, inject }]).details).toMatchObject({ field: 'rules[0].when.type' });
    const both = { packet: { information: { a: 1 } }, assemble: { query: 'q' }, criticality: 'helpful' };
    expect(errorOf([{ id: 'x', when, inject: both }]).message).toMatch(
      /rules\[0\]\.inject: give exactly one of packet and assemble/,
    );
    expect(errorOf([{ id: 'x', when, inject: { criticality: 'helpful' } }]).message).toMatch(/exactly one/);
  });

  it('bounds rule counts, keyword lists, priorities and nesting', () => {
    const many = Array.from({ length: 201 }, (_, index) => ({ id: `r${index}`, when: { type: 'every', messages: 1 }, inject }));
    expect(errorOf(many).details).toMatchObject({ field: 'rules' });
    const keywords = Array.from({ length: 101 }, (_, index) => `word${index}`);
    expect(errorOf([{ id: 'k', when: { type: 'keyword', keywords }, inject }]).details).toMatchObject({
      field: 'rules[0].when.keywords',
    });
    expect(errorOf([{ id: 'k', when: { type: 'keyword', keywords: ['!!!'] }, inject }]).message).toMatch(/at least one word/);
    expect(errorOf([{ id: 'p', when: { type: 'every', messages: 1 }, inject, priority: 101 }]).details).toMatchObject({
      field: 'rules[0].priority',
    });
    let deep: unknown = { type: 'every', messages: 1 };
    for (let level = 0; level < 5; level++) deep = { type: 'not', of: deep };
    expect(errorOf([{ id: 'deep', when: deep, inject }]).message).toMatch(/nest deeper/);
  });

  it('checks the shape of each when type', () => {
    expect(errorOf([{ id: 'e', when: { type: 'every' }, inject }]).message).toMatch(/give messages, ms or both/);
    expect(
      errorOf([{ id: 's', when: { type: 'schedule', at: ['2026-01-01T00:00:00Z'], everyMs: 5_000 }, inject }]).message,
    ).toMatch(/either at or everyMs/);
    expect(errorOf([{ id: 's', when: { type: 'state' }, inject }]).message).toMatch(/at least one of/);
    expect(errorOf([{ id: 'p', when: { type: 'event', name: 'x', mode: 'predictive' }, inject }]).message).toMatch(
      /predictive event needs/,
    );
    expect(errorOf([{ id: 'p', when: { type: 'event', name: 'x', afterMs: 5 }, inject }]).message).toMatch(
      /other modes take none/,
    );
    expect(errorOf([{ id: 'x', when: { type: 'keyword', keywords: ['a'], extra: 1 }, inject }]).details).toMatchObject({
      ruleIndex: 0,
    });
  });

  it('throws the ValidationError from parseInjectionRules and compileRules', () => {
    expect(() => parseInjectionRules({ rules: 'nope' })).toThrow(ValidationError);
    expect(() => compileRules([{ id: 'x', when: { type: 'pattern', patterns: ['['] }, inject }])).toThrow(
      /rules\[0\]\.when\.patterns\[0\]/,
    );
  });
});
