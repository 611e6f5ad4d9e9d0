import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineConfigInput } from '../config/engine-config.js';
import type { ManifestEntry } from '../core/assembly.js';
import { createEngine, type Engine } from '../engine.js';
import { gptTokenizers } from './gpt-tokenizer-set.js';

// The engine has no injectable clock: ages are relative to Date.now(), with margins (30 min inside a 1 h window,
// 2 h outside it) no test run comes near.
const MINUTE = 60_000;
const ago = (minutes: number) => new Date(Date.now() - minutes * MINUTE).toISOString();
const KNOWLEDGE = { threshold: 0, mode: 'lexical' as const, topK: 50 };
const QUERY = 'supplier lead times boxes';

/** The two backends of the engine-level suites (src/test-support/engines.ts), opened with a given config. */
const backends: Array<{ name: string; databaseUrl(directory: string): string }> = [
  { name: 'memory', databaseUrl: () => 'memory:' },
  { name: 'sqlite', databaseUrl: (directory) => `sqlite:${join(directory, 'context.db')}` },
];

const baseId = (entry: ManifestEntry): string => entry.id.split('#')[0] ?? entry.id;

for (const backend of backends) {
  describe(`assembler recency config on ${backend.name}`, () => {
    const opened: Array<{ engine: Engine; directory: string }> = [];
    afterEach(async () => {
      for (const { engine, directory } of opened.splice(0)) {
        await engine.close();
        rmSync(directory, { recursive: true, force: true });
      }
    });

    async function open(recency: { factor: number; windowHours: number }): Promise<Engine> {
      const directory = mkdtempSync(join(tmpdir(), 'ctx-recency-'));
      const engine = await createEngine({ databaseUrl: backend.databaseUrl(directory), assembly: { recency } });
      opened.push({ engine, directory });
      await engine.tenants.create({ id: 'acme' });
      return engine;
    }

    it('weighs items inside the configured window by the configured factor', async () => {
      const engine = await open({ factor: 3, windowHours: 1 });
      expect(engine.config.assembly.recency).toEqual({ factor: 3, windowHours: 1 });
      const text = 'Supplier lead times for printed boxes are six weeks.';
      await engine.knowledge.add('acme', [
        { id: 'half-hour', text, createdAt: ago(30) },
        { id: 'two-hours', text, createdAt: ago(120) },
        { id: 'three-days', text, createdAt: ago(3 * 24 * 60) },
      ]);
      const result = await engine.assembler.assemble('acme', { query: QUERY, knowledge: KNOWLEDGE, budget: 4000 });
      // Under the default (×2 under 24 h) the two-hour-old item would weigh 2 and the half-hour one 2.
      expect(Object.fromEntries(result.manifest.map((entry) => [baseId(entry), entry.recencyWeight]))).toEqual({
        'half-hour': 3,
        'two-hours': 1,
        'three-days': 1,
      });
      expect(result.manifest.every((entry) => entry.included)).toBe(true);
    });

    it('a window of 0 hours makes nothing recent', async () => {
      const engine = await open({ factor: 3, windowHours: 0 });
      await engine.knowledge.add('acme', [{ id: 'now', text: 'Supplier lead times are six weeks.', createdAt: ago(0) }]);
      const result = await engine.assembler.assemble('acme', { query: QUERY, knowledge: KNOWLEDGE });
      expect(result.manifest.map((entry) => [baseId(entry), entry.recencyWeight])).toEqual([['now', 1]]);
    });

    it('changes the choice as configured: ×3 lets a recent, less relevant item beat an older, more relevant one', async () => {
      // Two items of the same length and shape. "older" (2 h old, outside the 1 h window) matches every query term,
      // "recent" (30 min old) all but "boxes", so "older" is more relevant: its lexical score is higher. The score
      // ratio is bounded: the two share three of the four terms, and six unrelated items keep every term's document
      // frequency low, so no term's idf is ~0 (FTS5 floors the idf of a term found in most rows) and "boxes" alone
      // cannot outweigh the three shared terms threefold. Hence
      //   score(recent) < score(older) < 3 × score(recent)
      // (asserted below on the manifest rather than assumed). The selection ranks by score × recencyWeight / tokens and
      // the budget fits one block: factor 1 picks "older", factor 3 picks "recent".
      const items = [
        { id: 'older', text: 'Supplier lead times for printed boxes are six weeks.', createdAt: ago(120) },
        { id: 'recent', text: 'Supplier lead times for printed cards are six weeks.', createdAt: ago(30) },
        { id: 'filler-1', text: 'Quarterly revenue grew in the northern region.', createdAt: ago(600) },
        { id: 'filler-2', text: 'The onboarding checklist has eleven steps.', createdAt: ago(600) },
        { id: 'filler-3', text: 'Customers prefer annual billing with a discount.', createdAt: ago(600) },
        { id: 'filler-4', text: 'Our support desk answers within one day.', createdAt: ago(600) },
        { id: 'filler-5', text: 'Payroll taxes differ between countries.', createdAt: ago(600) },
        { id: 'filler-6', text: 'Marketing spend moved from print to search ads.', createdAt: ago(600) },
      ];

      async function chosen(factor: number): Promise<string[]> {
        const engine = await open({ factor, windowHours: 1 });
        await engine.knowledge.add('acme', items);
        const probe = await engine.assembler.assemble('acme', { query: QUERY, knowledge: KNOWLEDGE, budget: 4000 });
        const byId = new Map(probe.manifest.map((entry) => [baseId(entry), entry]));
        expect([...byId.keys()].sort()).toEqual(['older', 'recent']);
        const older = byId.get('older') as ManifestEntry;
        const recent = byId.get('recent') as ManifestEntry;
        expect([older.included, recent.included, older.recencyWeight, recent.recencyWeight]).toEqual([true, true, 1, factor]);
        // The construction's premise: "older" has the higher value per token unweighted, "recent" the higher ×3.
        const perToken = (entry: ManifestEntry) => entry.score / entry.tokens;
        expect(recent.score).toBeGreaterThan(0);
        expect(older.score).toBeGreaterThan(recent.score);
        expect(perToken(older)).toBeGreaterThan(perToken(recent));
        expect(3 * perToken(recent)).toBeGreaterThan(perToken(older));

        // Room for the larger block and not for both.
        const preamble = gptTokenizers.get('o200k_base').count(probe.text) - probe.tokens.knowledge;
        const budget = preamble + Math.max(older.tokens, recent.tokens) + 2;
        expect(preamble + older.tokens + recent.tokens).toBeGreaterThan(budget);
        const tight = await engine.assembler.assemble('acme', { query: QUERY, knowledge: KNOWLEDGE, budget });
        expect(tight.tokens.total).toBeLessThanOrEqual(budget);
        return tight.manifest.filter((entry) => entry.included).map(baseId);
      }

      expect(await chosen(1)).toEqual(['older']);
      expect(await chosen(3)).toEqual(['recent']);
    });

    it('refuses an invalid recency config with an error naming the field', async () => {
      const invalid: Array<[EngineConfigInput['assembly'], string]> = [
        [{ recency: { factor: 0.5 } }, 'assembly.recency.factor'],
        [{ recency: { factor: 0 } }, 'assembly.recency.factor'],
        [{ recency: { factor: 101 } }, 'assembly.recency.factor'],
        [{ recency: { windowHours: -1 } }, 'assembly.recency.windowHours'],
        [{ recency: { factor: 3, windowHour: 1 } as never }, 'assembly.recency'],
      ];
      for (const [assembly, field] of invalid) {
        await expect(createEngine({ databaseUrl: 'memory:', assembly })).rejects.toMatchObject({
          name: 'ValidationError',
          message: expect.stringContaining(`Invalid configuration: ${field}`),
        });
      }
    });
  });
}
