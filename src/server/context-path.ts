import { CONTEXT_KEY_MAX_LENGTH, CONTEXT_KEY_PATTERN } from '../core/context-key.js';
import { ValidationError } from '../core/errors.js';
import { parseWith } from '../validation/parse.js';
import { contextKeySchema } from '../validation/schemas.js';

export type ContextSuffix = 'versions' | 'diff' | 'rollback';

/** The context key a wildcard route addresses, and the sub-resource after it, if any. */
export interface ContextTarget {
  key: string;
  suffix: ContextSuffix | undefined;
}

/**
 * Splits `/v1/tenants/:tenant/contexts/<rest>` into key and suffix, reading the RAW (still percent-encoded)
 * path: the rule is that when the last raw segment is one of `suffixes` and at least one segment precedes it,
 * it is the suffix and the key is everything before. The key is validated (400 on a bad key). A key whose last segment is literally `versions`, `diff`
 * or `rollback` is addressed by percent-encoding the slash before that segment (`a%2Fversions`), which is not
 * a segment separator in the raw path. Each segment is then percent-decoded.
 */
export function contextTarget(url: string, suffixes: readonly ContextSuffix[]): ContextTarget {
  const path = url.split('?', 1)[0] ?? '';
  const segments = path.split('/').slice(5);
  const last = segments[segments.length - 1];
  let suffix: ContextSuffix | undefined;
  if (segments.length >= 2 && last !== undefined && (suffixes as readonly string[]).includes(last)) {
    suffix = last as ContextSuffix;
    segments.pop();
  }
  let key: string;
  try {
    key = segments.map((segment) => (segment.includes('%') ? decodeURIComponent(segment) : segment)).join('/');
  } catch {
    throw new ValidationError('Invalid context key: malformed percent-encoding in the path.', { code: 'invalid_key' });
  }
  // The common case is checked with the key's own pattern; zod only builds the message of a bad key.
  if (key.length <= CONTEXT_KEY_MAX_LENGTH && CONTEXT_KEY_PATTERN.test(key)) return { key, suffix };
  return { key: parseWith(contextKeySchema, key, 'context key'), suffix };
}

/** The path of a context document, for Location headers (each segment percent-encoded). */
export function contextPath(tenant: string, key: string): string {
  return `/v1/tenants/${tenant}/contexts/${key.split('/').map(encodeURIComponent).join('/')}`;
}
