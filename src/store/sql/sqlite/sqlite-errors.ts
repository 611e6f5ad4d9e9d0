import { BackendUnavailableError } from '../../../core/errors.js';
import { SqlConstraintViolation } from '../sql-constraint-violation.js';

/** Result codes that mean "the database cannot serve this now", never "not found". */
const UNAVAILABLE_CODES = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_CANTOPEN',
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_READONLY',
  'SQLITE_PROTOCOL',
  'SQLITE_NOMEM',
  'SQLITE_INTERRUPT',
  'SQLITE_ABORT',
];

/** better-sqlite3 errors as the SQL store expects them: unavailable, a constraint violation, or unchanged. */
export function translateSqliteError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
      return new SqlConstraintViolation('unique', { cause: error });
    }
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return new SqlConstraintViolation('foreign_key', { cause: error });
    if (code === 'SQLITE_CONSTRAINT_NOTNULL') return new SqlConstraintViolation('not_null', { cause: error });
    if (code === 'SQLITE_CONSTRAINT_CHECK') return new SqlConstraintViolation('check', { cause: error });
    if (UNAVAILABLE_CODES.some((prefix) => code === prefix || code.startsWith(`${prefix}_`))) {
      return unavailable(code, error);
    }
  }
  if (error instanceof TypeError && /database connection is not open/i.test(error.message)) {
    return new BackendUnavailableError('The SQLite database is closed.', { cause: error });
  }
  return error;
}

export function isSqliteBusy(error: unknown): boolean {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

function unavailable(code: string, cause: Error): BackendUnavailableError {
  const busy = code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
  const message = busy
    ? 'The SQLite database is locked by another writer; retry later.'
    : `The SQLite database failed (${code}); retry later.`;
  return new BackendUnavailableError(message, { cause, details: { sqliteCode: code } });
}
