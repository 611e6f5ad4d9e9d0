import { ValidationError } from '../core/errors.js';

/** Shared argument checks, so every backend rejects the same caller mistakes the same way. */
export function assertPositiveMs(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ValidationError(`${name} must be a positive integer number of milliseconds.`, { details: { [name]: value } });
  }
}

export function assertString(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') throw new ValidationError(`${name} must be a string.`);
}
