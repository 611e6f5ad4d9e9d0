import { ValidationError } from '../core/errors.js';

/** Opaque cursors: base64url of a JSON array of sort-key values. */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): (string | number)[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new ValidationError('The cursor is not valid: pass the nextCursor of a previous page unchanged.', {
      code: 'invalid_cursor',
    });
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== arity ||
    !parsed.every((item) => typeof item === 'string' || typeof item === 'number')
  ) {
    throw new ValidationError('The cursor is not valid: pass the nextCursor of a previous page unchanged.', {
      code: 'invalid_cursor',
    });
  }
  return parsed;
}
