import { describe, expect, it } from 'vitest';
import { effectiveBudget, resolveModelTokenizer } from './model-tokenizer.js';

describe('resolveModelTokenizer', () => {
  it('gives models with a public tokenizer their exact encoding', () => {
    for (const model of ['gpt-4o', 'gpt-4o-mini', 'chatgpt-4o-latest', 'gpt-4.1', 'gpt-5', 'o3-mini', 'openai/gpt-4o']) {
      expect(resolveModelTokenizer(model), model).toMatchObject({ encoding: 'o200k_base', approximate: false, factor: 1 });
    }
    for (const model of ['gpt-4', 'gpt-4-turbo', 'gpt-3.5-turbo', 'text-embedding-3-small', 'GPT-4']) {
      expect(resolveModelTokenizer(model), model).toMatchObject({ encoding: 'cl100k_base', approximate: false, factor: 1 });
    }
    expect(resolveModelTokenizer('cl100k_base')).toMatchObject({ encoding: 'cl100k_base', approximate: false });
    expect(resolveModelTokenizer(undefined)).toEqual({ model: null, encoding: 'o200k_base', approximate: false, factor: 1 });
  });

  it('approximates models whose tokenizer is not public, with a safety factor', () => {
    expect(resolveModelTokenizer('claude-sonnet-4-5')).toMatchObject({
      encoding: 'cl100k_base',
      approximate: true,
      factor: 1.25,
    });
    expect(resolveModelTokenizer('anthropic/claude-3-haiku')).toMatchObject({ approximate: true, factor: 1.25 });
    expect(resolveModelTokenizer('gemini-2.5-pro')).toMatchObject({ encoding: 'o200k_base', approximate: true, factor: 1.15 });
    expect(resolveModelTokenizer('llama-3.1-70b')).toMatchObject({ encoding: 'o200k_base', approximate: true, factor: 1.3 });
  });

  it('shrinks the budget of an approximated model so that the scaled count stays within it', () => {
    const claude = resolveModelTokenizer('claude-3-opus');
    expect(effectiveBudget(4000, claude)).toBe(3200);
    expect(Math.ceil(effectiveBudget(4001, claude) * claude.factor)).toBeLessThanOrEqual(4001);
    expect(effectiveBudget(4000, resolveModelTokenizer('gpt-4o'))).toBe(4000);
  });
});
