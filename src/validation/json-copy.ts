import type { JsonObject, JsonValue } from '../core/json.js';

/** A plain JSON value, copied, with its canonical JSON (RFC 8785) text. */
export interface CanonicalCopy {
  value: JsonValue;
  canonical: string;
}

/**
 * Copies a value made only of plain objects, arrays, strings, finite numbers, booleans and null, and writes its
 * canonical JSON in the same pass: the text `canonicalize` gives (keys sorted by UTF-16 code units, primitives as
 * `JSON.stringify` writes them), while the copy keeps the input's key order. Undefined for anything else — class
 * instances, symbol or `__proto__` keys, holes, `undefined`, NaN, Infinity — so that the caller takes its exact
 * (slower) path, which decides whether and how such a value is refused.
 */
export function copyCanonicalJson(input: unknown): CanonicalCopy | undefined {
  const holder: JsonValue[] = [null];
  const canonical = visit(input, holder, 0);
  return canonical === undefined ? undefined : { value: holder[0] as JsonValue, canonical };
}

/** Writes the copy of `value` into `holder[slot]` and returns its canonical text (undefined: not plain JSON). */
function visit(value: unknown, holder: JsonValue[] | JsonObject, slot: number | string): string | undefined {
  switch (typeof value) {
    case 'string':
      (holder as Record<string | number, JsonValue>)[slot] = value;
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) return undefined;
      (holder as Record<string | number, JsonValue>)[slot] = value;
      return JSON.stringify(value);
    case 'boolean':
      (holder as Record<string | number, JsonValue>)[slot] = value;
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) {
    (holder as Record<string | number, JsonValue>)[slot] = null;
    return 'null';
  }
  if (Array.isArray(value)) return visitArray(value, holder, slot);
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  if (Object.getOwnPropertySymbols(value).length > 0) return undefined;
  const source = value as Record<string, unknown>;
  const keys = Object.keys(source);
  const copy: JsonObject = {};
  const texts = new Map<string, string>();
  for (const key of keys) {
    if (key === '__proto__') return undefined;
    const text = visit(source[key], copy, key);
    if (text === undefined) return undefined;
    texts.set(key, text);
  }
  (holder as Record<string | number, JsonValue>)[slot] = copy;
  let out = '{';
  let first = true;
  for (const key of keys.sort()) {
    out += `${first ? '' : ','}${JSON.stringify(key)}:${texts.get(key) as string}`;
    first = false;
  }
  return `${out}}`;
}

function visitArray(value: readonly unknown[], holder: JsonValue[] | JsonObject, slot: number | string): string | undefined {
  const copy: JsonValue[] = new Array<JsonValue>(value.length);
  let out = '[';
  for (let index = 0; index < value.length; index += 1) {
    const text = visit(value[index], copy, index);
    if (text === undefined) return undefined;
    out += index === 0 ? text : `,${text}`;
  }
  (holder as Record<string | number, JsonValue>)[slot] = copy;
  return `${out}]`;
}
