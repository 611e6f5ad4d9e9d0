import { cacheKey } from '../cache/cache-key.js';
import type { JsonValue } from '../core/json.js';
import { canonicalJson, sha256Hex } from '../updates/content-hash.js';
import { RENDERER_VERSION } from './render.js';

/** Everything an assembly's text depends on: the request and the data generation of every input it reads. */
export interface AssemblyKeyMaterial {
  request: JsonValue;
  documents: Array<[string, number | null]>;
  session: number | null;
  journey: { generation: number; graph: number } | null;
  knowledge: number | null;
}

/**
 * The cache key of an assembly: the tenant in clear (so keys of two tenants never meet, see cacheKey) and a sha256
 * of the request with its inputs' generations. Any write to an input changes its generation, hence the key. The
 * current milestone is not part of it: it follows from the request's milestone, the user's completions and the
 * graph, which the journey generation and graph version identify (so the key is known before they are read).
 */
export function assemblyCacheKey(tenantId: string, material: AssemblyKeyMaterial): string {
  const digest = sha256Hex(canonicalJson({ v: RENDERER_VERSION, tenantId, ...material } as unknown as JsonValue));
  return cacheKey(tenantId, 'assembly', digest);
}
