import { ValidationError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';

/** Returned by copyPlainJson for anything it leaves to JSON.stringify's own rules. */
const UNSUPPORTED = Symbol('unsupported');
const MAX_FAST_DEPTH = 64;

/**
 * What is left of the running copy's budget: module state rather than an object per emit. assertEventData saves and
 * restores it, so a getter in the data that emits an event of its own does not spend the outer copy's budget.
 */
let budgetChars = 0;

/**
 * A deep copy of plain JSON — null, booleans, strings, finite numbers, arrays without holes, plain objects — while
 * `budgetChars` (an over-estimate of the JSON text's length before escaping) lasts. UNSUPPORTED for whatever needs
 * JSON.stringify's conversions (toJSON, undefined members, NaN, class instances, `__proto__` keys, deep nesting) or
 * runs out of budget: the caller then takes the exact, slower path.
 */
function copyPlainJson(value: unknown, depth: number): JsonValue | typeof UNSUPPORTED {
  if (value === null) {
    budgetChars -= 4;
    return null;
  }
  switch (typeof value) {
    case 'string':
      budgetChars -= value.length + 2;
      return value;
    case 'boolean':
      budgetChars -= 5;
      return value;
    case 'number':
      budgetChars -= 24;
      // -0 is 0 in JSON
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : UNSUPPORTED;
    case 'object':
      break;
    default:
      return UNSUPPORTED;
  }
  if (depth >= MAX_FAST_DEPTH || budgetChars < 0) return UNSUPPORTED;
  const prototype = Object.getPrototypeOf(value);
  if (prototype === Array.prototype) {
    const array = value as unknown[];
    const copy: JsonValue[] = new Array(array.length);
    budgetChars -= 2 + array.length;
    for (let index = 0; index < array.length; index += 1) {
      const item = copyPlainJson(array[index], depth + 1);
      if (item === UNSUPPORTED) return UNSUPPORTED;
      copy[index] = item;
    }
    return copy;
  }
  if (prototype !== Object.prototype && prototype !== null) return UNSUPPORTED;
  const copy: { [key: string]: JsonValue } = {};
  budgetChars -= 2;
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return UNSUPPORTED;
    const item = copyPlainJson((value as Record<string, unknown>)[key], depth + 1);
    if (item === UNSUPPORTED) return UNSUPPORTED;
    budgetChars -= key.length + 4;
    copy[key] = item;
  }
  return copy;
}

/**
 * An event's data: any JSON value (undefined becomes null), at most `maxBytes` as JSON text, copied so that later
 * changes by the caller never reach what is stored. Plain JSON of up to a sixth of the limit is copied directly (its
 * text cannot exceed the limit: escaping and UTF-8 take at most 6 bytes per character); anything else goes through
 * JSON.stringify and JSON.parse, with their conversions (toJSON, undefined members dropped, NaN as null).
 */
export function assertEventData(data: unknown, maxBytes: number): JsonValue | null {
  if (data === undefined || data === null) return null;
  const outerBudget = budgetChars;
  budgetChars = Math.floor(maxBytes / 6);
  let copy: JsonValue | typeof UNSUPPORTED;
  let left: number;
  try {
    copy = copyPlainJson(data, 0);
    left = budgetChars;
  } finally {
    budgetChars = outerBudget;
  }
  if (copy !== UNSUPPORTED && left >= 0) return copy;
  let text: string | undefined;
  try {
    text = JSON.stringify(data);
  } catch (error) {
    throw new ValidationError('The event data is not JSON (a cycle or a BigInt?).', { code: 'invalid_event_data', cause: error });
  }
  if (text === undefined) throw new ValidationError('The event data is not JSON.', { code: 'invalid_event_data' });
  // UTF-8 takes at most 3 bytes per UTF-16 unit: only count bytes when that could exceed the limit
  if (text.length * 3 > maxBytes && Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new ValidationError(`The event data takes more than ${maxBytes} bytes as JSON.`, { code: 'event_data_too_large' });
  }
  return JSON.parse(text) as JsonValue;
}
