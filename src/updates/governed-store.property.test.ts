import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../core/json.js';
import type { Engine } from '../engine.js';
import { engineBackends } from '../test-support/engines.js';
import { canonicalJson } from './content-hash.js';

/** The model: per tenant and key, the list of versions (undefined = tombstone); per update id, its state. */
interface Model {
  docs: Map<string, (JsonValue | undefined)[]>;
  pending: { tenantId: string; key: string; id: string; value: JsonValue }[];
}
interface Real {
  engine: Engine;
}

const TENANTS = ['t1', 't2'] as const;
const KEYS = ['a', 'b/c'] as const;
const docId = (tenantId: string, key: string) => `${tenantId}|${key}`;

/** RFC 7386, written independently of the implementation under test. */
function mergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const result: Record<string, JsonValue> =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete result[name];
    else result[name] = mergePatch(result[name], value);
  }
  return result;
}

const same = (left: JsonValue | undefined, right: JsonValue | undefined) =>
  canonicalJson(left ?? null) === canonicalJson(right ?? null) && (left === undefined) === (right === undefined);

/** Applies a value (undefined = delete) to the model as the engine should: identical values are no-ops. */
function modelWrite(model: Model, tenantId: string, key: string, value: JsonValue | undefined): void {
  const versions = model.docs.get(docId(tenantId, key)) ?? [];
  if (versions.length > 0 && same(versions.at(-1), value)) return;
  versions.push(value);
  model.docs.set(docId(tenantId, key), versions);
}

function live(model: Model, tenantId: string, key: string): JsonValue | undefined {
  return model.docs.get(docId(tenantId, key))?.at(-1);
}

async function check(model: Model, real: Real, tenantId: string, key: string): Promise<void> {
  const versions = model.docs.get(docId(tenantId, key)) ?? [];
  const current = await real.engine.store.contexts.getCurrent(tenantId, key);
  expect(current?.version ?? 0).toBe(versions.length);
  if (versions.length === 0) return;
  const expected = versions.at(-1);
  expect(current?.deleted).toBe(expected === undefined);
  if (expected !== undefined) expect(canonicalJson(current?.value ?? null)).toBe(canonicalJson(expected));
}

const valueArbitrary: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.integer({ min: 0, max: 3 }),
  fc.record(
    { a: fc.integer({ min: 0, max: 2 }), b: fc.constantFrom<JsonValue>('x', [1, 2], { c: true }) },
    { requiredKeys: ['a'] },
  ),
);
const patchArbitrary: fc.Arbitrary<JsonValue> = fc.record(
  { a: fc.constantFrom<JsonValue>(null, 1, 5), b: fc.constantFrom<JsonValue>(null, 'y', { c: null, d: 1 }) },
  { requiredKeys: [] },
);
const target = fc.record({ tenantId: fc.constantFrom(...TENANTS), key: fc.constantFrom(...KEYS) });

type Command = fc.AsyncCommand<Model, Real>;

const commands: fc.Arbitrary<Command>[] = [
  fc.tuple(target, valueArbitrary).map(
    ([{ tenantId, key }, value]): Command => ({
      check: () => true,
      async run(model, real) {
        await real.engine.contexts.put(tenantId, key, value);
        modelWrite(model, tenantId, key, value);
        await check(model, real, tenantId, key);
      },
      toString: () => `put(${tenantId}, ${key}, ${JSON.stringify(value)})`,
    }),
  ),
  fc.tuple(target, patchArbitrary).map(
    ([{ tenantId, key }, patch]): Command => ({
      check: () => true,
      async run(model, real) {
        const before = live(model, tenantId, key);
        const result = real.engine.contexts.patch(tenantId, key, patch);
        if (before === undefined) await expect(result).rejects.toMatchObject({ code: 'context_not_found' });
        else {
          await result;
          modelWrite(model, tenantId, key, mergePatch(before, patch));
        }
        await check(model, real, tenantId, key);
      },
      toString: () => `patch(${tenantId}, ${key}, ${JSON.stringify(patch)})`,
    }),
  ),
  target.map(
    ({ tenantId, key }): Command => ({
      check: () => true,
      async run(model, real) {
        const result = real.engine.contexts.delete(tenantId, key);
        if (live(model, tenantId, key) === undefined) await expect(result).rejects.toMatchObject({ code: 'context_not_found' });
        else {
          await result;
          modelWrite(model, tenantId, key, undefined);
        }
        await check(model, real, tenantId, key);
      },
      toString: () => `delete(${tenantId}, ${key})`,
    }),
  ),
  fc.tuple(target, fc.integer({ min: 1, max: 6 })).map(
    ([{ tenantId, key }, toVersion]): Command => ({
      check: () => true,
      async run(model, real) {
        const versions = model.docs.get(docId(tenantId, key)) ?? [];
        const result = real.engine.contexts.rollback(tenantId, key, toVersion);
        if (toVersion > versions.length) await expect(result).rejects.toMatchObject({ code: 'version_not_found' });
        else {
          await result;
          modelWrite(model, tenantId, key, versions[toVersion - 1]);
        }
        await check(model, real, tenantId, key);
      },
      toString: () => `rollback(${tenantId}, ${key}, ${toVersion})`,
    }),
  ),
  fc.tuple(target, valueArbitrary).map(
    ([{ tenantId, key }, value]): Command => ({
      check: () => true,
      async run(model, real) {
        const result = await real.engine.updates.propose({ tenantId, key, op: 'put', value, source: 'human_upload' });
        expect(result.outcome).toBe('pending');
        model.pending.push({ tenantId, key, id: result.update.id, value });
        await check(model, real, tenantId, key);
      },
      toString: () => `propose(${tenantId}, ${key}, ${JSON.stringify(value)})`,
    }),
  ),
  fc.tuple(fc.nat(), fc.boolean()).map(
    ([pick, approve]): Command => ({
      check: (model) => model.pending.length > 0,
      async run(model, real) {
        const [chosen] = model.pending.splice(pick % model.pending.length, 1);
        if (!chosen) throw new Error('no pending update');
        if (approve) {
          const result = await real.engine.updates.approve(chosen.tenantId, chosen.id, { by: 'reviewer' });
          expect(result.update.status).toBe('applied');
          modelWrite(model, chosen.tenantId, chosen.key, chosen.value);
        } else {
          const result = await real.engine.updates.reject(chosen.tenantId, chosen.id, { by: 'reviewer', reason: 'no' });
          expect(result.status).toBe('rejected');
        }
        await check(model, real, chosen.tenantId, chosen.key);
      },
      toString: () => `${approve ? 'approve' : 'reject'}(pending #${pick})`,
    }),
  ),
];

describe.each(engineBackends)('the governed store equals a simple model on $name', (backend) => {
  it('after random sequences of put/patch/delete/rollback/propose/approve/reject across two tenants', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 40 }), async (program) => {
        const { engine, cleanup } = await backend.open();
        try {
          for (const tenantId of TENANTS) await engine.tenants.create({ id: tenantId });
          const model: Model = { docs: new Map(), pending: [] };
          await fc.asyncModelRun(() => ({ model, real: { engine } }), program);
          for (const tenantId of TENANTS) {
            const keys = (await engine.contexts.list(tenantId)).items.map((item) => item.key).sort();
            const expectedKeys = KEYS.filter((key) => live(model, tenantId, key) !== undefined).sort();
            expect(keys).toEqual(expectedKeys);
            for (const key of KEYS) await check(model, { engine }, tenantId, key);
          }
        } finally {
          await cleanup();
        }
      }),
      { numRuns: backend.name === 'memory' ? 150 : 40 },
    );
  }, 120_000);
});
