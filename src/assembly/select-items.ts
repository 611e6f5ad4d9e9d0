import type { AssemblyLayer, LayerWeights, ManifestReason, WeightedLayer } from '../core/assembly.js';

/** An item competing for the budget. `estimate` is its block's tokens from the counts stored at write. */
export interface SelectionCandidate {
  layer: AssemblyLayer;
  estimate: number;
  /** Relevance in [0, 1]. */
  score: number;
  recencyWeight: number;
}

export interface SelectionDecision {
  included: boolean;
  reason: ManifestReason;
}

export interface SelectionOptions {
  /** Tokens available for blocks (the budget minus the preamble). */
  budget: number;
  weights: LayerWeights;
}

const WEIGHTED: readonly WeightedLayer[] = ['session', 'journey', 'knowledge'];

/** Value per token: relevance × recency over the block's tokens. */
export function densityOf(candidate: SelectionCandidate): number {
  return (candidate.score * candidate.recencyWeight) / Math.max(1, candidate.estimate);
}

/**
 * Chooses items under a budget (pure; decisions align with `candidates`):
 * 1. named documents first, in order, each if it still fits;
 * 2. the rest split by weight among the layers that have candidates (a layer without any leaves its share to the
 *    others); each layer takes its items by value per token while they fit its share;
 * 3. what the layers left unused goes to the remaining items of every positive-weight layer, by value per token.
 */
export function selectItems(candidates: readonly SelectionCandidate[], options: SelectionOptions): SelectionDecision[] {
  const decisions: SelectionDecision[] = candidates.map(() => ({ included: false, reason: 'over_budget' }));
  let remaining = Math.max(0, options.budget);
  candidates.forEach((candidate, index) => {
    if (candidate.layer !== 'documents') return;
    if (candidate.estimate <= remaining) {
      decisions[index] = { included: true, reason: 'named_document' };
      remaining -= candidate.estimate;
    }
  });

  const byLayer = new Map<WeightedLayer, number[]>();
  candidates.forEach((candidate, index) => {
    if (candidate.layer === 'documents') return;
    if (options.weights[candidate.layer] <= 0) {
      decisions[index] = { included: false, reason: 'layer_weight_zero' };
      return;
    }
    const list = byLayer.get(candidate.layer) ?? [];
    list.push(index);
    byLayer.set(candidate.layer, list);
  });
  const byDensity = (left: number, right: number) =>
    densityOf(candidates[right] as SelectionCandidate) - densityOf(candidates[left] as SelectionCandidate) || left - right;

  const active = WEIGHTED.filter((layer) => byLayer.has(layer));
  const totalWeight = active.reduce((sum, layer) => sum + options.weights[layer], 0);
  let used = 0;
  for (const layer of active) {
    const share = Math.floor((remaining * options.weights[layer]) / totalWeight);
    let layerUsed = 0;
    for (const index of [...(byLayer.get(layer) ?? [])].sort(byDensity)) {
      const estimate = (candidates[index] as SelectionCandidate).estimate;
      if (layerUsed + estimate > share) continue;
      decisions[index] = { included: true, reason: 'selected' };
      layerUsed += estimate;
    }
    used += layerUsed;
  }

  let leftover = remaining - used;
  const rest = active
    .flatMap((layer) => (byLayer.get(layer) ?? []).filter((index) => !decisions[index]?.included))
    .sort(byDensity);
  for (const index of rest) {
    const estimate = (candidates[index] as SelectionCandidate).estimate;
    if (estimate > leftover) continue;
    decisions[index] = { included: true, reason: 'redistributed' };
    leftover -= estimate;
  }
  return decisions;
}
