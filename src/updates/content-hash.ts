import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { JsonValue } from '../core/json.js';

/** Canonical JSON (RFC 8785) of a value: the same value always gives the same text. */
export function canonicalJson(value: JsonValue): string {
  const text = (canonicalize as unknown as (input: unknown) => string | undefined)(value);
  if (text === undefined) throw new TypeError('value is not representable as JSON');
  return text;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** sha256 (hex) of the canonical JSON of a value. */
export function contentHashOf(value: JsonValue): string {
  return sha256Hex(canonicalJson(value));
}
