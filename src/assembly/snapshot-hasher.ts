import type { JsonValue } from '../core/json.js';
import { canonicalJson, sha256Hex } from '../updates/content-hash.js';
import { LruMap } from './lru-map.js';

/** At most 5,000 texts of at most 2,048 characters: about 10 MB in the worst case, like the block-count memo. */
const MAX_REMEMBERED = 5_000;
const MAX_REMEMBERED_TEXT = 2048;

/**
 * The content address of an item snapshot: sha256 of its canonical JSON (RFC 8785). Canonicalising in JavaScript
 * costs several times the native JSON.stringify, and consecutive assemblies snapshot the same items, so hashes are
 * remembered by the payload's plain JSON text: equal texts are equal values, hence equal canonical forms.
 */
export class SnapshotHasher {
  readonly #hashes = new LruMap<string, string>(MAX_REMEMBERED);

  hash(payload: JsonValue): string {
    const text = JSON.stringify(payload);
    if (text.length > MAX_REMEMBERED_TEXT) return sha256Hex(canonicalJson(payload));
    let hash = this.#hashes.get(text);
    if (hash === undefined) {
      hash = sha256Hex(canonicalJson(payload));
      this.#hashes.set(text, hash);
    }
    return hash;
  }
}
