import type { JsonObject, JsonValue } from '../core/json.js';

/** An object literal, a parsed JSON object or a prototype-less one: no class, hence no toJSON or getters from one. */
export function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Whether `value` has the same canonical JSON as `stored`, a value parsed from canonical JSON (so plain, finite and
 * without undefined). A key whose value is undefined counts as absent, as in canonical JSON. Anything canonical JSON might write differently (an undefined array element, a hole, NaN, a class
 * instance, a function, a symbol) answers false: a false negative only costs the caller a recomputation.
 */
export function sameJson(value: unknown, stored: JsonValue): boolean {
  if (typeof value !== 'object' || value === null) return value === stored;
  if (typeof stored !== 'object' || stored === null) return false;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype || !Array.isArray(stored) || value.length !== stored.length)
      return false;
    for (let index = 0; index < value.length; index += 1) {
      if (!sameJson(value[index], stored[index] as JsonValue)) return false;
    }
    return true;
  }
  if (!isPlainObject(value) || Array.isArray(stored)) return false;
  let compared = 0;
  for (const key of Object.keys(value)) {
    const entry = value[key];
    if (entry === undefined) continue;
    if (!Object.hasOwn(stored, key) || !sameJson(entry, stored[key] as JsonValue)) return false;
    compared += 1;
  }
  return compared === Object.keys(stored).length;
}
