import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../engine.js';
import { engineBackends } from '../test-support/engines.js';
import { postgresEngineBackends } from '../test-support/postgres-engines.js';
import { countKnowledgeTokens } from './count-tokens.js';
import { fuseByReciprocalRank } from './fuse-results.js';

const sentence = (index: number) => `Sentence number ${index} talks about topic${index} and nothing else. `;

describe.each([...engineBackends, ...postgresEngineBackends()])('knowledge service on $name', (backend) => {
  let engine: Engine;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ engine, cleanup } = await backend.open());
    await engine.tenants.create({ id: 'acme' });
    await engine.tenants.create({ id: 'globex' });
  });
  afterEach(() => cleanup());

  it('stores both encodings, counting special-token strings as plain text', async () => {
    const text = 'Release notes <|endoftext|> and <|im_start|> are plain text here, not control tokens.';
    expect(() => countO200k(text)).toThrow();
    await engine.knowledge.add('acme', [{ id: 'special', text }]);
    const { results } = await engine.knowledge.search('acme', { query: 'release notes plain text', mode: 'lexical' });
    const plain = { disallowedSpecial: new Set<string>() };
    expect(results[0]).toMatchObject({
      id: 'special',
      tokens: countO200k(text, plain),
      tokenCounts: { o200k_base: countO200k(text, plain), cl100k_base: countCl100k(text, plain) },
    });
    expect(results[0]?.tokenCounts.o200k_base).not.toBe(results[0]?.tokenCounts.cl100k_base);
  });

  it('fuses hybrid results exactly as the two lists fused by hand, reading rows of the kept chunks only', async () => {
    const topics = ['pricing tiers', 'supplier lead times', 'churn benchmarks', 'pricing discounts', 'hiring plan'];
    await engine.knowledge.add(
      'acme',
      Array.from({ length: 60 }, (_, index) => ({
        id: `item-${index}`,
        text: `${topics[index % topics.length]} note ${index} ${topics[(index * 3) % topics.length]}`,
      })),
    );
    for (const query of ['pricing tiers', 'churn hiring', 'supplier']) {
      const [lexical, vector, hybrid] = await Promise.all([
        engine.knowledge.search('acme', { query, mode: 'lexical', topK: 50 }),
        engine.knowledge.search('acme', { query, mode: 'vector', topK: 50 }),
        engine.knowledge.search('acme', { query, mode: 'hybrid', topK: 7, threshold: 0.3 }),
      ]);
      const asHits = (results: typeof lexical.results) =>
        results.map((result) => ({ itemId: result.id, chunkIndex: Number(result.chunkId?.split('#')[1]), score: result.score }));
      const expected = fuseByReciprocalRank([asHits(lexical.results), asHits(vector.results)])
        .filter((hit) => hit.score >= 0.3)
        .slice(0, 7);
      expect(hybrid.results.map((result) => [result.id, result.score])).toEqual(
        expected.map((hit) => [hit.itemId, expect.closeTo(hit.score, 12)]),
      );
      expect(hybrid.results.every((result) => result.text.length > 0)).toBe(true);
    }
  });

  it('adds items with stored token counts and finds them in every mode', async () => {
    const added = await engine.knowledge.add('acme', [
      { id: 'pricing', text: 'Our pricing has three tiers: starter, growth and enterprise.', metadata: { kind: 'pricing' } },
      { id: 'suppliers', text: 'Approved suppliers ship within ten days from Shenzhen.', milestone: 'M3' },
      { id: 'benchmarks', text: 'Industry benchmarks put churn at five percent a month.' },
    ]);
    expect(added.generation).toBe(1);
    expect(added.items).toEqual([
      { id: 'pricing', chunks: 1, tokens: countKnowledgeTokens('Our pricing has three tiers: starter, growth and enterprise.') },
      expect.objectContaining({ id: 'suppliers', chunks: 1 }),
      expect.objectContaining({ id: 'benchmarks', chunks: 1 }),
    ]);
    for (const mode of ['lexical', 'vector', 'hybrid'] as const) {
      const { results } = await engine.knowledge.search('acme', { query: 'which suppliers ship fast?', mode });
      expect(results[0], mode).toMatchObject({ id: 'suppliers', chunkId: 'suppliers#0', milestone: 'M3', metadata: {} });
      expect(results[0]?.tokens).toBe(countKnowledgeTokens('Approved suppliers ship within ten days from Shenzhen.'));
      expect(results[0]?.score).toBeGreaterThan(0);
      expect(results[0]?.score).toBeLessThanOrEqual(1);
    }
    // Hybrid: first in both lists is a full score.
    const hybrid = await engine.knowledge.search('acme', { query: 'pricing tiers' });
    expect(hybrid.results[0]).toMatchObject({ id: 'pricing', score: 1 });
  });

  it('chunks long texts with overlap, each chunk within the limit', async () => {
    const text = Array.from({ length: 120 }, (_, index) => sentence(index)).join('');
    const { items } = await engine.knowledge.add('acme', [{ id: 'long', text }]);
    expect(items[0]?.chunks).toBeGreaterThan(3);
    const { results } = await engine.knowledge.search('acme', { query: 'topic57', mode: 'lexical', topK: 5 });
    expect(results.length).toBeGreaterThanOrEqual(1);
    for (const result of results) {
      expect(result.text).toContain('topic57');
      expect(result.tokens).toBe(countKnowledgeTokens(result.text));
      expect(result.tokens).toBeLessThanOrEqual(engine.config.knowledge.chunk.maxTokens);
    }
    // Overlap: consecutive chunks share their boundary sentence.
    const all = await engine.knowledge.search('acme', { query: 'sentence number', mode: 'lexical', topK: 200 });
    const chunks = all.results.sort((a, b) => Number(a.chunkId?.split('#')[1]) - Number(b.chunkId?.split('#')[1]));
    const first = chunks[0]?.text ?? '';
    const lastSentence = first.slice(first.lastIndexOf('Sentence'));
    const second = chunks[1]?.text ?? '';
    expect(second).toContain(lastSentence);
    expect(first).toContain(second.slice(0, second.indexOf('.') + 1));
  });

  it('applies topK, threshold and metadata filters inside the tenant', async () => {
    await engine.knowledge.add('acme', [
      { id: 'eu-2024', text: 'Refund policy for customers', metadata: { region: 'eu', year: 2024, published: '2024-06-01' } },
      { id: 'us-2025', text: 'Refund policy for customers', metadata: { region: 'us', year: 2025, published: '2025-03-01' } },
      {
        id: 'eu-2025',
        text: 'Refund policy for customers',
        metadata: { region: 'eu', year: 2025, published: '2025-05-01' },
        milestone: 'M4',
      },
    ]);
    await engine.knowledge.add('globex', [
      { id: 'globex-only', text: 'Refund policy for customers', metadata: { region: 'eu' } },
    ]);
    const search = async (filter: Record<string, unknown>) =>
      (await engine.knowledge.search('acme', { query: 'refund policy', filter: filter as never })).results
        .map((r) => r.id)
        .sort();
    expect(await search({ region: 'eu' })).toEqual(['eu-2024', 'eu-2025']);
    expect(await search({ region: { in: ['us', 'apac'] } })).toEqual(['us-2025']);
    expect(await search({ year: { gte: 2025 } })).toEqual(['eu-2025', 'us-2025']);
    expect(await search({ published: { gte: '2025-01-01', lt: '2025-04-01T00:00:00Z' } })).toEqual(['us-2025']);
    expect(await search({ milestone: 'M4' })).toEqual(['eu-2025']);
    expect(await search({ createdAt: { gte: '2000-01-01' } })).toEqual(['eu-2024', 'eu-2025', 'us-2025']);
    expect((await engine.knowledge.search('acme', { query: 'refund policy', topK: 2 })).results).toHaveLength(2);
    expect((await engine.knowledge.search('acme', { query: 'refund policy', threshold: 1, mode: 'vector' })).results).toEqual([]);
    // Nothing matches the words: lexical finds nothing, and a hybrid result needs both lists to pass 0.5.
    expect((await engine.knowledge.search('acme', { query: 'zebra', mode: 'lexical' })).results).toEqual([]);
    expect((await engine.knowledge.search('acme', { query: 'zebra', threshold: 0.51 })).results).toEqual([]);
  });

  it('changes the generation on every add and remove of its tenant only', async () => {
    expect(await engine.knowledge.generation('acme')).toBe(0);
    await engine.knowledge.add('acme', [{ id: 'a', text: 'alpha' }]);
    const afterAdd = await engine.knowledge.generation('acme');
    await engine.knowledge.add('acme', [{ id: 'a', text: 'alpha again' }]);
    const afterReplace = await engine.knowledge.generation('acme');
    expect(afterReplace).not.toBe(afterAdd);
    expect(await engine.knowledge.remove('acme', 'a')).toMatchObject({ id: 'a', removed: 1 });
    expect(await engine.knowledge.generation('acme')).not.toBe(afterReplace);
    expect(await engine.knowledge.generation('globex')).toBe(0);
  });

  it('refuses bad input with a precise error and changes nothing', async () => {
    await engine.knowledge.add('acme', [{ id: 'kept', text: 'kept text' }]);
    const generation = await engine.knowledge.generation('acme');
    const failures: [() => Promise<unknown>, string, RegExp][] = [
      [() => engine.knowledge.add('acme', []), 'validation_failed', /at least one item/],
      [
        () => engine.knowledge.add('acme', [{ id: 'ok', text: 'fine' }, { text: '   ' }]),
        'validation_failed',
        /item 1.*text: must not be empty/,
      ],
      [() => engine.knowledge.add('acme', [{ text: 'x', createdAt: 'yesterday' }]), 'validation_failed', /createdAt/],
      [() => engine.knowledge.add('acme', [{ text: 'nul \u0000' }]), 'validation_failed', /NUL/],
      [() => engine.knowledge.add('nobody', [{ text: 'x' }]), 'tenant_not_found', /nobody/],
      [() => engine.knowledge.remove('acme', 'missing'), 'knowledge_item_not_found', /missing/],
      [() => engine.knowledge.remove('globex', 'kept'), 'knowledge_item_not_found', /kept/],
      [() => engine.knowledge.search('acme', { query: '' }), 'validation_failed', /query/],
      [() => engine.knowledge.search('acme', { query: 'x', topK: 0 }), 'validation_failed', /topK/],
      [() => engine.knowledge.search('acme', { query: 'x', mode: 'fuzzy' as never }), 'validation_failed', /mode/],
      [
        () => engine.knowledge.search('acme', { query: 'x', filter: { price: { gte: 'soon' } } }),
        'invalid_filter',
        /price: gte must be a number or an ISO-8601 date/,
      ],
      [
        () => engine.knowledge.search('acme', { query: 'x', filter: { milestone: { gt: 3 } } }),
        'invalid_filter',
        /milestone: takes no ranges/,
      ],
      [() => engine.knowledge.search('acme', { query: 'x', filter: { 'bad key!': 1 } }), 'validation_failed', /filter\.bad key!/],
      [() => engine.knowledge.search('acme', { query: 'x', filter: { a: {} } }), 'validation_failed', /at least one operator/],
    ];
    for (const [promise, code, message] of failures) {
      const error = await promise().then(
        () => undefined,
        (caught: unknown) => caught as Error & { code: string },
      );
      expect(error?.code, String(message)).toBe(code);
      expect(error?.message).toMatch(message);
    }
    expect(await engine.knowledge.generation('acme')).toBe(generation);
    expect((await engine.store.knowledge.stats('acme')).items).toBe(1);
    expect((await engine.knowledge.search('acme', { query: 'ok fine', mode: 'lexical' })).results).toEqual([]);
  });
});
