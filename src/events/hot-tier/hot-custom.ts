import type { JsonValue } from '../../core/json.js';

type JsonObject = { [key: string]: JsonValue };

const SLOTS = 64;

/** True when every value is a string, number, boolean or null: a shallow copy is then a full copy. */
function isFlat(object: JsonObject): boolean {
  for (const key in object) {
    const value = object[key];
    if (typeof value === 'object' && value !== null) return false;
  }
  return true;
}

/**
 * Custom fields back from their canonical JSON text, as a new object every time (callers may change what they get).
 * A stream repeats a few small flat shapes (`{"iteration":3}`), so the last parse of each text is kept in a small
 * direct-mapped table (64 texts at most, keyed by length and the characters before the closing brace) and copied with a spread, several
 * times cheaper than JSON.parse; nested objects are parsed every time.
 */
export class CustomFields {
  readonly #texts: string[] = new Array<string>(SLOTS).fill('');
  readonly #parsed: JsonObject[] = new Array<JsonObject>(SLOTS).fill({});

  /** A fresh object from `text` (canonical JSON of an object). */
  parse(text: string): JsonObject {
    const end = text.length;
    const slot = (end * 7 + text.charCodeAt(end - 2) * 3 + text.charCodeAt(end - 3)) & (SLOTS - 1);
    if (this.#texts[slot] === text) return { ...(this.#parsed[slot] as JsonObject) };
    const parsed = JSON.parse(text) as JsonObject;
    if (!isFlat(parsed)) return parsed;
    this.#texts[slot] = text;
    this.#parsed[slot] = parsed;
    return { ...parsed };
  }
}
