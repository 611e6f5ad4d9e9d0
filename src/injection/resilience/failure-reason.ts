import { isBrokenCircuitError, TaskCancelledError } from 'cockatiel';

/** The longest sink error message kept in a reason (reasons are counter labels: keep them short). */
const MAX_MESSAGE_LENGTH = 60;

/** Thrown inside a delivery attempt when no time is left before the injection's deadline. */
export class DeadlinePassedError extends Error {
  constructor() {
    super('deadline exceeded');
    this.name = 'DeadlinePassedError';
  }
}

/**
 * The reason of a failed attempt as counted: `breaker_open`, `timeout`, `deadline_exceeded`,
 * `cancelled` or `sink_error:<message>` (message shortened).
 */
export function failureReason(error: unknown, signal?: AbortSignal): string {
  if (error instanceof DeadlinePassedError) return 'deadline_exceeded';
  if (isBrokenCircuitError(error)) return 'breaker_open';
  if (signal?.aborted) return 'cancelled';
  // Not cockatiel's isTaskCancelledError: in 3.2.1 it tests for `isBulkheadRejectedError`.
  if (error instanceof TaskCancelledError) return 'timeout';
  const message = error instanceof Error ? error.message : String(error);
  const compact = message.replace(/\s+/g, ' ').trim().slice(0, MAX_MESSAGE_LENGTH);
  return `sink_error:${compact || 'unknown'}`;
}
