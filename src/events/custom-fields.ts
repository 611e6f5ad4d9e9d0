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

/** Custom fields must be a plain JSON object (finite numbers, at most 32 levels deep) of bounded size. */
export function assertCustomFields(custom: unknown, maxBytes: number): { [key: string]: JsonValue } {
  if (!isJson(custom, 0) || custom === null || typeof custom !== 'object' || Array.isArray(custom)) {
    throw new ValidationError('The custom fields of a context must be a plain JSON object.', { code: 'invalid_custom_fields' });
  }
  const record = custom as { [key: string]: JsonValue };
  const size = Buffer.byteLength(canonicalCustom(record), 'utf8');
  if (size > maxBytes) {
    throw new ValidationError(`The custom fields of a context take ${size} bytes; at most ${maxBytes} are allowed.`, {
      code: 'custom_fields_too_large',
    });
  }
  return record;
}
