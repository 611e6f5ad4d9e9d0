import type { AssemblyLayer, LayerTokens, ManifestEntry } from '../core/assembly.js';
import type { TokenEncoding } from '../core/token-counts.js';
import type { AssemblyCandidate } from './assembly-candidate.js';
import { PREAMBLE, renderSegment, renderText } from './render.js';
import type { SegmentCounter } from './segment-counter.js';
import { densityOf, type SelectionDecision } from './select-items.js';

export interface ComposedText {
  text: string;
  tokens: LayerTokens;
  manifest: ManifestEntry[];
  /** The candidates in the text, in text order. */
  included: AssemblyCandidate[];
}

/**
 * Renders the chosen items and checks the exact token count of the final text (preamble plus blocks; blocks add up
 * exactly, see render.ts). While it is over the budget, the included item of least value per token is dropped
 * (documents last), so the text never exceeds the budget by a single token.
 */
export function composeText(
  candidates: readonly AssemblyCandidate[],
  decisions: readonly SelectionDecision[],
  budget: number,
  encoding: TokenEncoding,
  counter: SegmentCounter,
): ComposedText {
  const state = decisions.map((decision) => ({ ...decision }));
  const exact = new Map<number, number>();
  const segments = new Map<number, string>();
  const blockTokens = (index: number): number => {
    let tokens = exact.get(index);
    if (tokens === undefined) {
      const candidate = candidates[index] as AssemblyCandidate;
      const segment = candidate.item === undefined ? '' : renderSegment(candidate.item);
      segments.set(index, segment);
      tokens = counter.count(encoding, segment);
      exact.set(index, tokens);
    }
    return tokens;
  };
  const preamble = counter.count(encoding, PREAMBLE);
  for (;;) {
    const chosen = state.flatMap((decision, index) => (decision.included ? [index] : []));
    const total = chosen.length === 0 ? 0 : preamble + chosen.reduce((sum, index) => sum + blockTokens(index), 0);
    if (total <= budget) break;
    const victim = [...chosen].sort((left, right) => dropOrder(candidates, left, right))[0] as number;
    state[victim] = { included: false, reason: 'over_budget_after_render' };
  }

  const tokens: LayerTokens = { session: 0, journey: 0, knowledge: 0, documents: 0, total: 0 };
  const included: AssemblyCandidate[] = [];
  const texts: string[] = [];
  const manifest = candidates.map((candidate, index): ManifestEntry => {
    const decision = state[index] as SelectionDecision;
    const entry: ManifestEntry = {
      layer: candidate.layer,
      id: candidate.id,
      ...(candidate.version === undefined ? {} : { version: candidate.version }),
      tokens: decision.included ? blockTokens(index) : candidate.estimate,
      score: round(candidate.score),
      recencyWeight: candidate.recencyWeight,
      included: decision.included,
      reason: candidate.unavailable ?? decision.reason,
      ...(candidate.createdAt === undefined ? {} : { createdAt: candidate.createdAt }),
    };
    if (decision.included) {
      tokens[candidate.layer as AssemblyLayer] += entry.tokens;
      included.push(candidate);
      texts.push(segments.get(index) as string);
    }
    return entry;
  });
  tokens.total = texts.length === 0 ? 0 : preamble + tokens.session + tokens.journey + tokens.knowledge + tokens.documents;
  return { text: renderText(texts), tokens, manifest, included };
}

/** Which included item goes first when the text is over budget: least value per token, documents last (latest named first). */
function dropOrder(candidates: readonly AssemblyCandidate[], left: number, right: number): number {
  const a = candidates[left] as AssemblyCandidate;
  const b = candidates[right] as AssemblyCandidate;
  const aDocument = a.layer === 'documents' ? 1 : 0;
  const bDocument = b.layer === 'documents' ? 1 : 0;
  if (aDocument !== bDocument) return aDocument - bDocument;
  if (aDocument === 1) return right - left;
  return densityOf(a) - densityOf(b) || right - left;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
