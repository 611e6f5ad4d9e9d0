import { describe, expect, it } from 'vitest';
import type { AssemblyRecord } from '../../core/assembly.js';
import { type StoreConformanceOptions, useFreshStore } from './conformance-options.js';
import { expectError, instant, makeTenant } from './fixtures.js';

function record(tenantId: string, id: string, createdAt: string): AssemblyRecord {
  return {
    id,
    tenantId,
    createdAt,
    request: { query: 'q', documents: [], budget: 100, weights: { session: 0.2, journey: 0.5, knowledge: 0.3 } },
    encoding: 'o200k_base',
    effectiveBudget: 100,
    tokens: { session: 1, journey: 0, knowledge: 0, documents: 0, total: 9 },
    manifest: [
      {
        layer: 'session',
        id: 'm1',
        tokens: 1,
        score: 0.5,
        recencyWeight: 2,
        included: true,
        reason: 'selected',
        contentHash: 'h1',
      },
    ],
    packet: {
      strategy: { milestone: null, next: null, completed: [], dependencies: [] },
      attention: { query: 'q', focus: ['m1'] },
      metadata: {
        assemblyId: id,
        createdAt,
        priority: 50,
        criticality: 'important',
        ttlMs: 1000,
        conditions: [],
        source: 'assembler',
        budget: 100,
        model: null,
        encoding: 'o200k_base',
        approximate: false,
      },
    },
    textHash: 'text-hash',
    rendererVersion: 1,
  };
}

/** Assembly records and their content-addressed item snapshots. */
export function describeAssemblyConformance(options: StoreConformanceOptions): void {
  describe('assemblies', () => {
    const store = useFreshStore(options);

    it('stores a record and its snapshots, per tenant', async () => {
      await store().tenants.create(makeTenant('acme'));
      await store().tenants.create(makeTenant('globex'));
      const assemblies = store().assemblies;
      const saved = record('acme', 'asm_1', instant(1));
      await assemblies.save(saved, [{ hash: 'h1', payload: { text: 'hello', n: [1, 2] } }]);
      expect(await assemblies.get('acme', 'asm_1')).toEqual(saved);
      expect(await assemblies.get('globex', 'asm_1')).toBeUndefined();
      expect(await assemblies.getItems('acme', ['h1', 'missing'])).toEqual(new Map([['h1', { text: 'hello', n: [1, 2] }]]));
      expect((await assemblies.getItems('globex', ['h1'])).size).toBe(0);
      await assemblies.save(record('acme', 'asm_2', instant(2)), [{ hash: 'h1', payload: { text: 'hello', n: [1, 2] } }]);
      expect((await assemblies.getItems('acme', ['h1'])).get('h1')).toEqual({ text: 'hello', n: [1, 2] });
      await expectError(assemblies.save(record('nobody', 'asm_1', instant(1)), []), 'NotFoundError', 'tenant_not_found');
    });

    it('purges old records and the snapshots no newer record used', async () => {
      await store().tenants.create(makeTenant('acme'));
      const assemblies = store().assemblies;
      await assemblies.save(record('acme', 'old', instant(1)), [
        { hash: 'only-old', payload: 1 },
        { hash: 'shared', payload: 2 },
      ]);
      await assemblies.save(record('acme', 'new', instant(100)), [{ hash: 'shared', payload: 2 }]);
      expect(await assemblies.purge(instant(50))).toBe(1);
      expect(await assemblies.get('acme', 'old')).toBeUndefined();
      expect(await assemblies.get('acme', 'new')).toBeDefined();
      expect([...(await assemblies.getItems('acme', ['only-old', 'shared'])).keys()]).toEqual(['shared']);
    });

    it('keeps snapshots used since an earlier cutoff for items when one is given', async () => {
      await store().tenants.create(makeTenant('acme'));
      const assemblies = store().assemblies;
      await assemblies.save(record('acme', 'a', instant(10)), [{ hash: 'ten', payload: 1 }]);
      await assemblies.save(record('acme', 'b', instant(30)), [{ hash: 'thirty', payload: 2 }]);
      expect(await assemblies.purge(instant(50), instant(20))).toBe(2);
      expect([...(await assemblies.getItems('acme', ['ten', 'thirty'])).keys()]).toEqual(['thirty']);
    });
  });
}
