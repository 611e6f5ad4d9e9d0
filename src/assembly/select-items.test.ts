import { describe, expect, it } from 'vitest';
import type { AssemblyLayer } from '../core/assembly.js';
import { type SelectionCandidate, selectItems } from './select-items.js';

function candidate(layer: AssemblyLayer, estimate: number, score = 0.5, recencyWeight = 1): SelectionCandidate {
  return { layer, estimate, score, recencyWeight };
}

const SEED_WEIGHTS = { session: 0.2, journey: 0.5, knowledge: 0.3 };

describe('selectItems', () => {
  it('splits the budget by weight (seed 002: 800 / 2000 / 1200 of 4000)', () => {
    const items = [
      ...Array.from({ length: 10 }, () => candidate('session', 100)),
      ...Array.from({ length: 30 }, () => candidate('journey', 100)),
      ...Array.from({ length: 20 }, () => candidate('knowledge', 100)),
    ];
    const decisions = selectItems(items, { budget: 4000, weights: SEED_WEIGHTS });
    const used = (layer: AssemblyLayer) =>
      items.filter((item, index) => item.layer === layer && decisions[index]?.included).length * 100;
    expect([used('session'), used('journey'), used('knowledge')]).toEqual([800, 2000, 1200]);
  });

  it('changes the choice when the weights change', () => {
    const items = [candidate('session', 60), candidate('knowledge', 60)];
    const favourSession = selectItems(items, { budget: 100, weights: { session: 0.9, journey: 0, knowledge: 0.1 } });
    const favourKnowledge = selectItems(items, { budget: 100, weights: { session: 0.1, journey: 0, knowledge: 0.9 } });
    expect(favourSession.map((decision) => decision.included)).toEqual([true, false]);
    expect(favourKnowledge.map((decision) => decision.included)).toEqual([false, true]);
  });

  it('gives the share of a layer without candidates, and any unused share, to the layers that need it', () => {
    // No session items: its 20% goes to journey and knowledge at once.
    const items = Array.from({ length: 40 }, (_, index) => candidate(index % 2 ? 'journey' : 'knowledge', 100));
    const decisions = selectItems(items, { budget: 4000, weights: SEED_WEIGHTS });
    expect(decisions.filter((decision) => decision.included)).toHaveLength(40);
    // Journey needs only 100 of its 2000: knowledge takes the rest as "redistributed".
    const lopsided = [candidate('journey', 100), ...Array.from({ length: 30 }, () => candidate('knowledge', 100))];
    const result = selectItems(lopsided, { budget: 3000, weights: SEED_WEIGHTS });
    expect(result.filter((decision) => decision.included)).toHaveLength(30);
    expect(result.filter((decision) => decision.reason === 'redistributed').length).toBeGreaterThan(0);
  });

  it('takes items by relevance per token, and recency doubles an item’s value', () => {
    const items = [candidate('knowledge', 50, 0.9), candidate('knowledge', 10, 0.5), candidate('knowledge', 50, 0.6, 2)];
    const decisions = selectItems(items, { budget: 60, weights: { session: 0, journey: 0, knowledge: 1 } });
    // densities: 0.018, 0.05, 0.024 → the short one, then the recent one; the old best-scored one no longer fits.
    expect(decisions.map((decision) => decision.included)).toEqual([false, true, true]);
  });

  it('puts named documents first and leaves zero-weight layers out', () => {
    const items = [candidate('documents', 70), candidate('documents', 50), candidate('session', 10)];
    const decisions = selectItems(items, { budget: 100, weights: { session: 0, journey: 0.5, knowledge: 0.5 } });
    expect(decisions).toEqual([
      { included: true, reason: 'named_document' },
      { included: false, reason: 'over_budget' },
      { included: false, reason: 'layer_weight_zero' },
    ]);
  });
});
