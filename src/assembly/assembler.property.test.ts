import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine.js';
import { gptTokenizers } from './gpt-tokenizer-set.js';

const words = fc.constantFrom(
  'pricing',
  'payroll',
  'supplier',
  'launch',
  'margin',
  'Germany',
  'boxes',
  '.',
  '\n',
  '  ',
  '🙂',
  '<message>',
  '42',
);
const text = fc.array(words, { minLength: 1, maxLength: 60 }).map((parts) => parts.join(' ').trim() || 'pricing');

const scenario = fc.record({
  messages: fc.array(fc.record({ role: fc.constantFrom('user' as const, 'assistant' as const), content: text }), {
    maxLength: 12,
  }),
  knowledge: fc.array(text, { maxLength: 8 }),
  completions: fc.array(fc.record({ decisions: fc.array(text, { maxLength: 3 }), note: text }), { maxLength: 3 }),
  document: fc.option(text, { nil: undefined }),
  budget: fc.integer({ min: 1, max: 1500 }),
  weights: fc.record({
    session: fc.double({ min: 0, max: 1, noNaN: true }),
    journey: fc.double({ min: 0, max: 1, noNaN: true }),
    knowledge: fc.double({ min: 0.01, max: 1, noNaN: true }),
  }),
  model: fc.constantFrom(undefined, 'gpt-4', 'gpt-4o', 'claude-sonnet-4'),
});

describe('assembler budget (property)', () => {
  let engine: Engine;
  let tenants = 0;
  beforeAll(async () => {
    engine = await createEngine({ databaseUrl: 'memory:', assembly: { session: { maxTokens: 100_000, maxMessages: 20 } } });
  });
  afterAll(() => engine.close());

  it('never exceeds the budget, accounts for every candidate, and drops nothing relevant when the budget is ample', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (input) => {
        tenants += 1;
        const tenantId = `t${tenants}`;
        await engine.tenants.create({ id: tenantId });
        if (input.messages.length > 0) await engine.sessions.append(tenantId, 's', input.messages);
        if (input.knowledge.length > 0)
          await engine.knowledge.add(
            tenantId,
            input.knowledge.map((entry, index) => ({ id: `k${index}`, text: entry })),
          );
        const order = ['M0', 'M1', 'M2'];
        for (const [index, completion] of input.completions.entries()) {
          await engine.journeys.complete(tenantId, 'u', order[index] as string, {
            keyDecisions: completion.decisions,
            data: { note: completion.note },
          });
        }
        if (input.document !== undefined) await engine.contexts.put(tenantId, 'doc', { text: input.document });
        const found = await engine.knowledge.search(tenantId, {
          query: 'pricing supplier',
          threshold: 0,
          topK: 50,
          mode: 'lexical',
        });
        const request = {
          query: 'pricing supplier',
          sessionId: 's',
          userId: 'u',
          documents: input.document === undefined ? [] : ['doc'],
          weights: input.weights,
          knowledge: { threshold: 0, topK: 50, mode: 'lexical' as const },
          ...(input.model === undefined ? {} : { model: input.model }),
        };

        const result = await engine.assembler.assemble(tenantId, { ...request, budget: input.budget });
        const encoding = result.packet.metadata.encoding;
        const exact = gptTokenizers.get(encoding).count(result.text);
        const factor = input.model?.startsWith('claude') ? 1.25 : 1;
        expect(Math.ceil(exact * factor)).toBeLessThanOrEqual(input.budget);
        expect(result.tokens.total).toBe(exact);
        const candidates =
          input.messages.length + input.completions.length + found.results.length + (input.document === undefined ? 0 : 1);
        expect(result.manifest).toHaveLength(candidates);
        expect(result.manifest.filter((entry) => entry.included).reduce((sum, entry) => sum + entry.tokens, 0)).toBe(
          result.tokens.session + result.tokens.journey + result.tokens.knowledge + result.tokens.documents,
        );

        const ample = await engine.assembler.assemble(tenantId, {
          ...request,
          weights: { session: 1, journey: 1, knowledge: 1 },
          budget: 200_000,
        });
        expect(ample.manifest.filter((entry) => !entry.included)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
