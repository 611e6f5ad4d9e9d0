import type { AssemblyPacket, LayerTokens, ManifestEntry } from '../core/assembly.js';

/** What `POST …/assemble` answers. */
export interface AssemblyResult {
  assemblyId: string;
  packet: AssemblyPacket;
  text: string;
  tokens: LayerTokens;
  manifest: ManifestEntry[];
  /** True when served from the cache (the same inputs, unchanged since). */
  cached: boolean;
}
