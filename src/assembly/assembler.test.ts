import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JsonObject } from '../core/json.js';
import type { Engine } from '../engine.js';
import { engineBackends } from '../test-support/engines.js';
import { postgresEngineBackends } from '../test-support/postgres-engines.js';
import { canonicalJson, sha256Hex } from '../updates/content-hash.js';
import { gptTokenizers } from './gpt-tokenizer-set.js';

const KNOWLEDGE = { threshold: 0, mode: 'lexical' as const, topK: 50 };

for (const backend of [...engineBackends, ...postgresEngineBackends()]) {
  describe(`assembler on ${backend.name}`, () => {
    let engine: Engine;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ engine, cleanup } = await backend.open());
      await engine.tenants.create({ id: 'acme' });
      await engine.tenants.create({ id: 'globex' });
    });
    afterEach(() => cleanup());

    async function seed(tenantId = 'acme') {
      await engine.contexts.put(tenantId, 'product/overview', { name: 'Acme Books', pitch: 'Accounting for small firms' });
      await engine.sessions.append(tenantId, 's1', [
        { role: 'user', content: 'How should we price the payroll add-on?' },
        { role: 'assistant', content: 'Start from the competitor benchmarks.' },
      ]);
      await engine.journeys.complete(tenantId, 'u1', 'M0', {
        data: { idea: 'payroll for small firms' },
        keyDecisions: ['Target firms under 50 staff'],
      });
      await engine.knowledge.add(tenantId, [
        { id: 'bench', text: 'Payroll add-on pricing benchmarks: competitors charge 6 dollars per employee.' },
      ]);
    }

    const request = {
      query: 'payroll pricing',
      userId: 'u1',
      sessionId: 's1',
      documents: ['product/overview'],
      knowledge: KNOWLEDGE,
    };

    it('assembles every layer with a manifest for every candidate, documents first, within the budget', async () => {
      await seed();
      const result = await engine.assembler.assemble('acme', request);
      expect(result.cached).toBe(false);
      expect(result.manifest.map((entry) => [entry.layer, entry.included, entry.reason])).toEqual([
        ['documents', true, 'named_document'],
        ['journey', true, 'selected'],
        ['knowledge', true, 'selected'],
        ['session', true, 'selected'],
        ['session', true, 'selected'],
      ]);
      expect(result.manifest[0]).toMatchObject({ id: 'product/overview', version: 1 });
      expect(result.text.indexOf('<document key="product/overview"')).toBeLessThan(result.text.indexOf('<milestone id="M0"'));
      expect(result.text).toContain('Target firms under 50 staff');
      expect(result.tokens.total).toBe(gptTokenizers.get('o200k_base').count(result.text));
      expect(result.tokens.total).toBeLessThanOrEqual(4000);
      expect(result.packet.information.session.map((message) => message.content)[0]).toBe(
        'How should we price the payroll add-on?',
      );
      expect(result.packet.strategy).toMatchObject({ milestone: 'M1', completed: ['M0'], dependencies: ['M0'] });
    });

    it('serves the same inputs from the cache, and misses after a write to any input', async () => {
      await seed();
      const first = await engine.assembler.assemble('acme', request);
      const again = await engine.assembler.assemble('acme', request);
      expect(again).toMatchObject({ cached: true, assemblyId: first.assemblyId, text: first.text });

      const writes: Array<[string, () => Promise<unknown>]> = [
        ['message', () => engine.sessions.append('acme', 's1', [{ content: 'And the annual plan?' }])],
        ['milestone', () => engine.journeys.complete('acme', 'u1', 'M1', { keyDecisions: ['Launch in Germany'] })],
        ['knowledge', () => engine.knowledge.add('acme', [{ id: 'more', text: 'Payroll pricing in Germany.' }])],
        ['document', () => engine.contexts.put('acme', 'product/overview', { name: 'Acme Books 2' })],
      ];
      let previous = first.text;
      for (const [input, write] of writes) {
        await write();
        const next = await engine.assembler.assemble('acme', request);
        expect({ input, cached: next.cached }).toEqual({ input, cached: false });
        expect(next.text).not.toBe(previous);
        previous = next.text;
        expect((await engine.assembler.assemble('acme', request)).cached).toBe(true);
      }
    });

    it('answers a hit from the generations alone, and misses after a change of the milestone graph', async () => {
      await seed();
      const first = await engine.assembler.assemble('acme', request);
      const readSession = vi.spyOn(engine.sessions, 'get');
      const readJourney = vi.spyOn(engine.journeys, 'state');
      try {
        expect((await engine.assembler.assemble('acme', request)).cached).toBe(true);
        expect(readSession).not.toHaveBeenCalled();
        expect(readJourney).not.toHaveBeenCalled();
        await engine.journeys.putGraph('acme', {
          milestones: [
            { id: 'M0', name: 'Idea' },
            { id: 'M1', name: 'Market', dependsOn: ['M0'] },
          ],
        });
        const next = await engine.assembler.assemble('acme', request);
        expect(next.cached).toBe(false);
        expect(next.text).not.toBe(first.text);
        expect(next.text).toContain('M0: Idea');
        expect(readSession).toHaveBeenCalledTimes(1);
        expect(readJourney).toHaveBeenCalledTimes(1);
      } finally {
        readSession.mockRestore();
        readJourney.mockRestore();
      }
    });

    it("never serves one tenant's cached assembly to another", async () => {
      await seed('acme');
      await engine.assembler.assemble('acme', request);
      await engine.contexts.put('globex', 'product/overview', { name: 'Globex' });
      const other = await engine.assembler.assemble('globex', request);
      expect(other.cached).toBe(false);
      expect(other.text).toContain('Globex');
      expect(other.text).not.toContain('Acme');
      expect(other.manifest.filter((entry) => entry.layer !== 'documents')).toEqual([]);
    });

    it('records the assembly and replays the identical text after its inputs changed', async () => {
      await seed();
      const result = await engine.assembler.assemble('acme', request);
      await engine.contexts.put('acme', 'product/overview', { name: 'Changed' });
      await engine.sessions.append(
        'acme',
        's1',
        Array.from({ length: 10 }, (_, index) => ({ content: `filler ${index}` })),
      );
      await engine.knowledge.remove('acme', 'bench');
      const record = await engine.assembler.get('acme', result.assemblyId);
      expect(record.manifest).toEqual(result.manifest);
      expect(record.manifest[0]?.version).toBe(1);
      const replay = await engine.assembler.replay('acme', result.assemblyId);
      expect(replay).toMatchObject({ identical: true, text: result.text, tokens: result.tokens });
      expect(replay.packet.information).toEqual(result.packet.information);
      await expect(engine.assembler.get('globex', result.assemblyId)).rejects.toMatchObject({ code: 'assembly_not_found' });
    });

    it('stores an item snapshot once for consecutive assemblies, each of which still replays', async () => {
      await seed();
      const saves: string[][] = [];
      const assemblies = engine.store.assemblies;
      const save = assemblies.save.bind(assemblies);
      vi.spyOn(assemblies, 'save').mockImplementation((record, items) => {
        saves.push(items.map((item) => item.hash));
        return save(record, items);
      });
      const first = await engine.assembler.assemble('acme', request);
      await engine.assembler.get('acme', first.assemblyId);
      const second = await engine.assembler.assemble('acme', { ...request, query: 'payroll add-on pricing' });
      await engine.assembler.get('acme', second.assemblyId);
      const hashesOf = (result: typeof first) => result.manifest.flatMap((entry) => entry.contentHash ?? []);
      expect(hashesOf(second).filter((hash) => hashesOf(first).includes(hash)).length).toBeGreaterThan(0);
      expect(saves[0]).toEqual(hashesOf(first));
      expect(saves[1]).toEqual(hashesOf(second).filter((hash) => !hashesOf(first).includes(hash)));
      for (const result of [first, second]) {
        expect(await engine.assembler.replay('acme', result.assemblyId)).toMatchObject({ identical: true, text: result.text });
      }
    });

    it('stores a knowledge chunk once for queries that score it differently, and replays each with its own score', async () => {
      await seed();
      const first = await engine.assembler.assemble('acme', request);
      const second = await engine.assembler.assemble('acme', {
        ...request,
        query: 'payroll add-on pricing benchmarks competitors employee',
      });
      const chunkOf = (result: typeof first) => result.manifest.find((entry) => entry.layer === 'knowledge');
      expect(chunkOf(first)?.contentHash).toBeDefined();
      expect(chunkOf(second)?.contentHash).toBe(chunkOf(first)?.contentHash);
      const scores = [first, second].map((result) => result.packet.information.knowledge[0]?.score);
      expect(scores[0]).not.toBe(scores[1]);
      const hash = chunkOf(first)?.contentHash as string;
      for (const result of [first, second]) {
        const record = await engine.assembler.get('acme', result.assemblyId);
        const stored = await engine.store.assemblies.getItems('acme', [hash]);
        expect(stored.get(hash)).toMatchObject({ layer: 'knowledge', id: 'bench' });
        expect(stored.get(hash)).not.toHaveProperty('score');
        expect(record.knowledgeScores).toEqual({ [hash]: result.packet.information.knowledge[0]?.score });
        const replay = await engine.assembler.replay('acme', result.assemblyId);
        expect(replay).toMatchObject({ identical: true, text: result.text });
        expect(replay.packet.information).toEqual(result.packet.information);
      }
    });

    it('replays a record written when knowledge snapshots carried their score', async () => {
      await seed();
      const result = await engine.assembler.assemble('acme', request);
      const { knowledgeScores, ...record } = await engine.assembler.get('acme', result.assemblyId);
      const entry = record.manifest.find((each) => each.layer === 'knowledge');
      const chunk = (await engine.store.assemblies.getItems('acme', [entry?.contentHash as string])).get(
        entry?.contentHash as string,
      ) as JsonObject;
      const scored = { ...chunk, score: knowledgeScores?.[entry?.contentHash as string] as number };
      const scoredHash = sha256Hex(canonicalJson(scored));
      await engine.store.assemblies.save(
        {
          ...record,
          id: 'asm_before_scores_moved',
          manifest: record.manifest.map((each) => (each === entry ? { ...each, contentHash: scoredHash } : each)),
        },
        [{ hash: scoredHash, payload: scored }],
      );
      const replay = await engine.assembler.replay('acme', 'asm_before_scores_moved');
      expect(replay).toMatchObject({ identical: true, text: result.text });
      expect(replay.packet.information).toEqual(result.packet.information);
    });

    it('weighs items under 24 hours twice as much', async () => {
      const old = new Date(Date.now() - 3 * 86_400_000).toISOString();
      const text = 'Supplier lead times for printed boxes are six weeks.';
      await engine.knowledge.add('acme', [
        { id: 'old', text, createdAt: old },
        { id: 'new', text, createdAt: new Date().toISOString() },
      ]);
      const probe = await engine.assembler.assemble('acme', { query: 'supplier lead times', knowledge: KNOWLEDGE, budget: 4000 });
      const oneBlock = probe.manifest.find((entry) => entry.id.startsWith('new'))?.tokens ?? 0;
      expect(probe.manifest.map((entry) => [entry.id.split('#')[0], entry.recencyWeight])).toEqual(
        expect.arrayContaining([
          ['old', 1],
          ['new', 2],
        ]),
      );
      // Room for one block: the recent one wins although both score the same.
      const preamble = gptTokenizers.get('o200k_base').count(probe.text) - probe.tokens.knowledge;
      const tight = await engine.assembler.assemble('acme', {
        query: 'supplier lead times',
        knowledge: KNOWLEDGE,
        budget: preamble + oneBlock + 2,
      });
      expect(tight.manifest.filter((entry) => entry.included).map((entry) => entry.id.split('#')[0])).toEqual(['new']);
    });

    it('gives a layer without candidates its share, and leaves nothing in when nothing fits', async () => {
      await seed();
      const small = await engine.assembler.assemble('acme', { ...request, documents: [], budget: 5 });
      expect(small.text).toBe('');
      expect(small.tokens.total).toBe(0);
      expect(small.manifest.every((entry) => !entry.included)).toBe(true);
      const missing = await engine.assembler.assemble('acme', { query: 'x', documents: ['no/such'] });
      expect(missing.manifest).toEqual([expect.objectContaining({ id: 'no/such', included: false, reason: 'not_found' })]);
    });

    it('refuses bad requests with a clear error and records nothing', async () => {
      await expect(engine.assembler.assemble('acme', { query: '' })).rejects.toMatchObject({ name: 'ValidationError' });
      await expect(engine.assembler.assemble('acme', { query: 'x', budget: 0 })).rejects.toMatchObject({
        name: 'ValidationError',
      });
      await expect(engine.assembler.assemble('acme', { query: 'x', documents: ['bad key'] })).rejects.toMatchObject({
        name: 'ValidationError',
      });
      await expect(engine.assembler.assemble('nobody', { query: 'x' })).rejects.toMatchObject({ code: 'tenant_not_found' });
      expect((await engine.assembler.contextMetrics('acme')).assemblies).toBe(0);
    });
  });
}
