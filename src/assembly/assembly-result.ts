import type { AssemblyPacket, LayerTokens, ManifestEntry } from '../core/assembly.js';
import type { ProviderRequests } from '../providers/index.js';
import type { AssembleFormat } from '../providers/provider-format.js';

/** What `POST …/assemble` answers. */
export interface AssemblyResult {
  assemblyId: string;
  packet: AssemblyPacket;
  text: string;
  tokens: LayerTokens;
  manifest: ManifestEntry[];
  /** True when served from the cache (the same inputs, unchanged since). */
  cached: boolean;
  /** With `format`: the provider-native request fragment (the packet, `text` as its information, and `messages`). */
  request?: ProviderRequests[AssembleFormat] | undefined;
  /** With `format`: what the conversion to that provider lost. */
  warnings?: string[] | undefined;
}
