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
  const queryAt = url.indexOf('?');
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  // most paths have nothing encoded: split off the suffix by the last slash, without per-segment work
  const restAt = afterSlashes(path, 5);
  const rest = restAt < 0 ? '' : path.slice(restAt);
  if (!rest.includes('%')) {
    const slash = rest.lastIndexOf('/');
    const last = rest.slice(slash + 1);
    const suffix = slash >= 0 && (suffixes as readonly string[]).includes(last) ? (last as ContextSuffix) : undefined;
    return checked(suffix === undefined ? rest : rest.slice(0, slash), suffix);
  }
  const segments = rest.split('/');
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
  return checked(key, suffix);
}

/** The index just after the `count`-th slash of `path`; -1 when it has fewer. */
function afterSlashes(path: string, count: number): number {
  let at = -1;
  for (let seen = 0; seen < count; seen += 1) {
    at = path.indexOf('/', at + 1);
    if (at < 0) return -1;
  }
  return at + 1;
}

/** The key validated (400 on a bad one): its own pattern first; zod only builds the message of a bad key. */
function checked(key: string, suffix: ContextSuffix | undefined): ContextTarget {
  if (key.length <= CONTEXT_KEY_MAX_LENGTH && CONTEXT_KEY_PATTERN.test(key)) return { key, suffix };
  return { key: parseWith(contextKeySchema, key, 'context key'), suffix };
}

/** The path of a context document, for Location headers (each segment percent-encoded). */
export function contextPath(tenant: string, key: string): string {
  return `/v1/tenants/${tenant}/contexts/${key.split('/').map(encodeURIComponent).join('/')}`;
}
