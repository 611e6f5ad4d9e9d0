import { ValidationError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';

/** An event's data: any JSON value (undefined becomes null), at most `maxBytes` as JSON text. */
export function assertEventData(data: unknown, maxBytes: number): JsonValue | null {
  if (data === undefined || data === null) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(data);
  } catch (error) {
    throw new ValidationError('The event data is not JSON (a cycle or a BigInt?).', { code: 'invalid_event_data', cause: error });
  }
  if (text === undefined) throw new ValidationError('The event data is not JSON.', { code: 'invalid_event_data' });
  if (text.length > maxBytes && Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new ValidationError(`The event data takes more than ${maxBytes} bytes as JSON.`, { code: 'event_data_too_large' });
  }
  return JSON.parse(text) as JsonValue;
}
