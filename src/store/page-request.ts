import { ValidationError } from '../core/errors.js';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, type Page } from '../core/page.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/** The page size to use: the default when absent, capped at the maximum; a non-positive or fractional limit is refused. */
export function resolvePageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ValidationError(`The page limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}; got ${limit}.`, {
      code: 'invalid_limit',
    });
  }
  return Math.min(limit, MAX_PAGE_LIMIT);
}

function invalidCursor(): ValidationError {
  return new ValidationError('The cursor is not valid: pass the nextCursor of a previous page unchanged.', {
    code: 'invalid_cursor',
  });
}

/** A cursor holding one string sort key (a context key, a tenant id). */
export function decodeStringCursor(cursor: string): string {
  const [value] = decodeCursor(cursor, 1);
  if (typeof value !== 'string') throw invalidCursor();
  return value;
}

/** A cursor holding one version number. */
export function decodeNumberCursor(cursor: string): number {
  const [value] = decodeCursor(cursor, 1);
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidCursor();
  return value;
}

/** A cursor holding two string sort keys, e.g. (createdAt, id). */
export function decodeStringPairCursor(cursor: string): [string, string] {
  const [first, second] = decodeCursor(cursor, 2);
  if (typeof first !== 'string' || typeof second !== 'string') throw invalidCursor();
  return [first, second];
}

/**
 * Turns rows fetched with `limit + 1` into a page: the extra row only says another page exists,
 * and the cursor points after the last item kept.
 */
export function toPage<T>(rows: T[], limit: number, cursorOf: (item: T) => readonly (string | number)[]): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return last === undefined ? { items } : { items, nextCursor: encodeCursor(cursorOf(last)) };
}
