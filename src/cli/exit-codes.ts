import { CommanderError } from 'commander';
import {
  BackendUnavailableError,
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  UnsupportedError,
  ValidationError,
} from '../core/errors.js';

/** What `ctx` exits with (also listed at the top of main.ts). */
export const EXIT_CODES = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  validation: 5,
  backendUnavailable: 6,
  pendingReview: 10,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** A mistake in how the command was called: bad flags, arguments, JSON or configuration. */
export class UsageError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'UsageError';
  }
}

export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof UsageError) return EXIT_CODES.usage;
  if (error instanceof CommanderError) {
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT_CODES.ok : EXIT_CODES.usage;
  }
  if (error instanceof NotFoundError) return EXIT_CODES.notFound;
  if (error instanceof ConflictError || error instanceof PreconditionFailedError) return EXIT_CODES.conflict;
  if (error instanceof ValidationError) return EXIT_CODES.validation;
  if (error instanceof BackendUnavailableError) return EXIT_CODES.backendUnavailable;
  if (error instanceof UnsupportedError) return EXIT_CODES.usage;
  // Anything else (forbidden, provider failures, bugs) is unexpected for a local CLI.
  return EXIT_CODES.unexpected;
}

/** One line, no stack trace. */
export function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `ctx: ${message
    .replace(/^error: /, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim()}\n`;
}
