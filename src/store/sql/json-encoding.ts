import canonicalize from 'canonicalize';

const serialize = canonicalize as unknown as (input: unknown) => string | undefined;

/** Bookkeeping JSON (payloads, flags, policies), bound as text by every dialect. */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value);
}

/** A context document's value as canonical JSON (RFC 8785): equal values are stored as equal text. */
export function encodeCanonicalValue(value: unknown): string {
  const text = serialize(value);
  if (text === undefined) throw new TypeError('The value is not representable as JSON.');
  return text;
}
