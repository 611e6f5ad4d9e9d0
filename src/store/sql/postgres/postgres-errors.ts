import { BackendUnavailableError } from '../../../core/errors.js';
import { SqlConstraintViolation } from '../sql-constraint-violation.js';
import { SqlTransactionConflict } from '../sql-transaction-conflict.js';

const CONSTRAINTS: Record<string, SqlConstraintViolation['kind']> = {
  '23505': 'unique',
  '23503': 'foreign_key',
  '23502': 'not_null',
  '23514': 'check',
};

/** SQLSTATE classes and codes that mean "the database cannot serve this now" (never "not found"). */
const UNAVAILABLE_CLASSES = ['08', '53', '57', '58'];
const UNAVAILABLE_CODES = ['55P03', '25P03', '40003'];
/** Errors of the socket or of pg itself, before or outside any SQL. */
const NETWORK_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
];
const CLIENT_FAILURE =
  /connection terminated|timeout exceeded when trying to connect|not queryable|after calling end on the pool|connection error|query read timeout|client was closed|terminating connection/i;

/**
 * pg errors as the SQL store expects them: a constraint violation, a transaction conflict to retry (only inside a
 * write transaction; a read sees it as unavailable), BackendUnavailableError, or unchanged (a bug).
 */
export function translatePostgresError(error: unknown, inTransaction: boolean): unknown {
  if (!(error instanceof Error) || error instanceof BackendUnavailableError || error instanceof SqlConstraintViolation) {
    return error;
  }
  if (error instanceof SqlTransactionConflict) return inTransaction ? error : unavailable('40001', error);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    const kind = CONSTRAINTS[code];
    if (kind !== undefined) return new SqlConstraintViolation(kind, { cause: error });
    if (code === '40001' || code === '40P01') {
      return inTransaction ? new SqlTransactionConflict({ cause: error }) : unavailable(code, error);
    }
    if (UNAVAILABLE_CLASSES.includes(code.slice(0, 2)) || UNAVAILABLE_CODES.includes(code) || NETWORK_CODES.includes(code)) {
      return unavailable(code, error);
    }
  }
  if (CLIENT_FAILURE.test(error.message)) return unavailable(undefined, error);
  return error;
}

function unavailable(code: string | undefined, cause: Error): BackendUnavailableError {
  const detail = code === undefined ? cause.message : `${code}: ${cause.message}`;
  return new BackendUnavailableError(`PostgreSQL is unavailable (${detail}); retry later.`, {
    cause,
    details: code === undefined ? {} : { sqlState: code },
  });
}
