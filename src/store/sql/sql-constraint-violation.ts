/** A constraint the database refused, classified by the dialect; the store maps it to a precise ConflictError. */
export type SqlConstraintKind = 'unique' | 'foreign_key' | 'not_null' | 'check';

export class SqlConstraintViolation extends Error {
  readonly kind: SqlConstraintKind;

  constructor(kind: SqlConstraintKind, options: { cause: unknown }) {
    super(`SQL constraint violated: ${kind}`, options);
    this.name = 'SqlConstraintViolation';
    this.kind = kind;
  }
}

/** Rethrows a constraint violation as the error the caller chose for its kind; other errors pass unchanged. */
export function rethrowConstraint(error: unknown, errors: Partial<Record<SqlConstraintKind, () => Error>>): never {
  if (error instanceof SqlConstraintViolation) {
    const make = errors[error.kind];
    if (make !== undefined) throw make();
  }
  throw error;
}
