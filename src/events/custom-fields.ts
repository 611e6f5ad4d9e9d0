import canonicalize from 'canonicalize';
import { ValidationError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';

const serialize = canonicalize as unknown as (input: unknown) => string | undefined;

/** Custom fields as canonical JSON (RFC 8785); `{}` when there are none. */
export function canonicalCustom(custom: { [key: string]: JsonValue }): string {
  for (const _ in custom) return serialize(custom) ?? '{}';
  return '{}';
}

function isJson(value: unknown, depth: number): boolean {
  if (depth > 32) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJson(item, depth + 1));
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).every((item) => isJson(item, depth + 1));
}

/** Where assertCustomFields leaves the canonical text it computed, for a caller that needs it too (the router). */
export interface CustomTextOut {
  text: string;
}

/**
 * Custom fields must be a plain JSON object (finite numbers, at most 32 levels deep) of bounded size. The canonical
 * text measured for the size goes to `out` (set last, after anything that reads the fields), so it is made once.
 */
export function assertCustomFields(custom: unknown, maxBytes: number, out?: CustomTextOut): { [key: string]: JsonValue } {
  if (!isJson(custom, 0) || custom === null || typeof custom !== 'object' || Array.isArray(custom)) {
    throw new ValidationError('The custom fields of a context must be a plain JSON object.', { code: 'invalid_custom_fields' });
  }
  const record = custom as { [key: string]: JsonValue };
  const text = canonicalCustom(record);
  const size = Buffer.byteLength(text, 'utf8');
  if (size > maxBytes) {
    throw new ValidationError(`The custom fields of a context take ${size} bytes; at most ${maxBytes} are allowed.`, {
      code: 'custom_fields_too_large',
    });
  }
  if (out !== undefined) out.text = text;
  return record;
}
