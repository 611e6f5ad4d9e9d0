/** The category of an error: who must act to fix it. */
export type ErrorCategory = 'user' | 'system' | 'third_party';

export interface ContextEngineErrorOptions {
  cause?: unknown;
  /** Extra, safe-to-show fields (they become problem+json extension members). */
  details?: Record<string, unknown>;
}

/** The one base class of every error the engine raises on purpose. `code` is stable; `message` is the detail. */
export class ContextEngineError extends Error {
  readonly code: string;
  readonly category: ErrorCategory;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, category: ErrorCategory, message: string, options: ContextEngineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.category = category;
    this.details = options.details;
  }
}

/** Input failed validation (a bad key, a wrong type, an oversize value). */
export class ValidationError extends ContextEngineError {
  constructor(message: string, options: ContextEngineErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'validation_failed', 'user', message, options);
  }
}

/** The thing asked for does not exist (or exists in another tenant, which looks the same). */
export class NotFoundError extends ContextEngineError {
  constructor(message: string, options: ContextEngineErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'not_found', 'user', message, options);
  }
}

/** The request is valid but conflicts with the current state (already exists, wrong state). */
export class ConflictError extends ContextEngineError {
  constructor(message: string, options: ContextEngineErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'conflict', 'user', message, options);
  }
}

/** A precondition (If-Match, baseVersion, expectedContentHash) did not hold. */
export class PreconditionFailedError extends ContextEngineError {
  constructor(message: string, options: ContextEngineErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'precondition_failed', 'user', message, options);
  }
}

/** The caller is not allowed to do this. */
export class ForbiddenError extends ContextEngineError {
  constructor(message: string, options: ContextEngineErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'forbidden', 'user', message, options);
  }
}

/** The caller did not prove who it is. */
export class UnauthorizedError extends ContextEngineError {
  constructor(message: string, options: ContextEngineErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'unauthorized', 'user', message, options);
  }
}

/** A feature a backend or adapter does not support. */
export class UnsupportedError extends ContextEngineError {
  constructor(message: string, options: ContextEngineErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'unsupported', 'user', message, options);
  }
}

/** A backend (database, cache) is unreachable or failed transiently: retry later; never "not found". */
export class BackendUnavailableError extends ContextEngineError {
  constructor(message: string, options: ContextEngineErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'backend_unavailable', 'system', message, options);
  }
}

/** A call to a third-party provider failed. */
export class ProviderCallError extends ContextEngineError {
  readonly isRetryable: boolean;
  constructor(message: string, options: ContextEngineErrorOptions & { code?: string; isRetryable: boolean }) {
    super(options.code ?? 'provider_call_failed', 'third_party', message, options);
    this.isRetryable = options.isRetryable;
  }
}

export function isContextEngineError(error: unknown): error is ContextEngineError {
  return error instanceof ContextEngineError;
}
