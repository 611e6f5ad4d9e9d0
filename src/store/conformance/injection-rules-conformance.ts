import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../core/json.js';
import { type StoreConformanceOptions, useFreshStore } from './conformance-options.js';
import { expectError, instant, makeTenant } from './fixtures.js';

const RULES: JsonObject[] = [
  {
    id: 'stress',
    when: { type: 'keyword', keywords: ['stressed'] },
    inject: { packet: { strategy: { tone: 'calm' } }, criticality: 'important' },
  },
  { id: 'every-10', when: { type: 'every', messages: 10 }, inject: { assemble: { budget: 300 }, criticality: 'helpful' } },
];

/** Injection rule sets: one per tenant, versioned with compare-and-set, never visible to another tenant. */
export function describeInjectionRuleConformance(options: StoreConformanceOptions): void {
  describe('injection rules', () => {
    const store = useFreshStore(options);
    const setup = async () => {
      await store().tenants.create(makeTenant('acme'));
      await store().tenants.create(makeTenant('globex'));
      return store().injectionRules;
    };

    it('stores a rule set per tenant with a growing version, compare-and-set on the version', async () => {
      const rules = await setup();
      expect(await rules.get('acme')).toBeUndefined();
      const first = await rules.put('acme', RULES, instant(1), 0);
      expect(first).toEqual({ tenantId: 'acme', rules: RULES, version: 1, updatedAt: instant(1) });
      expect(await rules.get('acme')).toEqual(first);
      expect(await rules.get('globex')).toBeUndefined();
      const second = await rules.put('acme', RULES.slice(1), instant(2));
      expect(second.version).toBe(2);
      const error = await expectError(
        rules.put('acme', RULES, instant(3), 1),
        'ConflictError',
        'injection_rules_version_conflict',
      );
      expect(error.details).toEqual({ expectedVersion: 1, currentVersion: 2 });
      expect((await rules.get('acme'))?.rules).toEqual(RULES.slice(1));
    });

    it('refuses an unknown tenant without creating it', async () => {
      const rules = await setup();
      await expectError(rules.put('initech', RULES, instant(1)), 'NotFoundError', 'tenant_not_found');
      expect(await rules.get('initech')).toBeUndefined();
      expect(await store().tenants.get('initech')).toBeUndefined();
    });

    it('settles concurrent compare-and-set puts on one version: exactly one wins', async () => {
      const rules = await setup();
      await rules.put('acme', RULES, instant(1));
      const outcomes = await Promise.allSettled(
        Array.from({ length: 6 }, (_, index) =>
          rules.put('acme', [{ ...RULES[0], id: `r${index}` } as JsonObject], instant(2), 1),
        ),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect((await rules.get('acme'))?.version).toBe(2);
    });
  });
}
