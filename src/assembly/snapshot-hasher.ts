import type { JsonObject, JsonValue } from '../core/json.js';
import { canonicalJson, sha256Hex } from '../updates/content-hash.js';
import { canonicalKnowledgeItem } from './canonical-knowledge-item.js';
import { isPlainObject, sameJson } from './same-json.js';
import { SecondChanceMemo } from './second-chance-memo.js';

/** At most 5,000 items of at most 2,048 characters of canonical JSON (parsed back), like the block-count memo. */
const MAX_REMEMBERED = 5_000;
const MAX_REMEMBERED_TEXT = 2048;

interface Remembered {
  /** The item as last hashed, parsed back from its canonical JSON: a private copy no caller can mutate. */
  copy: JsonObject;
  hash: string;
}

/**
 * The content address of an item snapshot: sha256 of its canonical JSON (RFC 8785). Consecutive assemblies snapshot
 * mostly the same session messages and milestones, so the last hash of each is remembered under the fields that name
 * its version and reused when the new payload equals the remembered copy field by field (far cheaper than
 * canonicalising and hashing it again, or than building its JSON text as a memo key). Popular knowledge chunks come
 * back in query after query, their snapshots without the score; a chunk's canonical JSON is written field by field
 * (canonicalKnowledgeItem), about twice as fast as the generic canonicaliser.
 */
export class SnapshotHasher {
  readonly #remembered = new SecondChanceMemo<string, Remembered>(MAX_REMEMBERED);

  hash(payload: JsonValue): string {
    if (!isPlainObject(payload)) return sha256Hex(canonicalJson(payload));
    const identity = identityOf(payload);
    const known = identity === undefined ? undefined : this.#remembered.get(identity);
    if (known !== undefined && sameJson(payload, known.copy)) return known.hash;
    const canonical = canonicalKnowledgeItem(payload) ?? canonicalJson(payload);
    const hash = sha256Hex(canonical);
    if (identity !== undefined && canonical.length <= MAX_REMEMBERED_TEXT) {
      const copy = parseCopy(canonical);
      if (copy !== undefined) this.#remembered.set(identity, { copy, hash });
    }
    return hash;
  }
}

/** The canonical text parsed back; undefined when it is not JSON (a function inside a payload writes `undefined`). */
function parseCopy(canonical: string): JsonObject | undefined {
  try {
    const copy: unknown = JSON.parse(canonical);
    return isPlainObject(copy) ? copy : undefined;
  } catch {
    return undefined;
  }
}

/** The fields that name an item's version (a memo key, not a proof: a match is checked field by field). */
function identityOf(payload: JsonObject): string | undefined {
  switch (payload.layer) {
    case 'session':
      return `s\u0000${part(payload.id)}\u0000${part(payload.createdAt)}`;
    case 'journey':
      return `j\u0000${part(payload.milestone)}\u0000${part(payload.revision)}\u0000${part(payload.completedAt)}`;
    case 'documents':
      return `d\u0000${part(payload.key)}\u0000${part(payload.version)}`;
    case 'knowledge':
      return `k\u0000${part(payload.id)}\u0000${part(payload.chunkId)}\u0000${part(payload.createdAt)}`;
    default:
      return undefined;
  }
}

function part(value: JsonValue | undefined): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}
