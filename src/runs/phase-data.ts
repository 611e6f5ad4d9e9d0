import type { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import { canonicalJson, sha256Hex } from '../updates/content-hash.js';
import { describeIssues } from '../validation/parse.js';

/** `\u0000` preceded by an even number of backslashes: an escaped NUL, not an escaped backslash then "u0000". */
export const ESCAPED_NUL = /(?<!\\)(?:\\\\)*\\u0000/;

/** Phase data ready to store: the value, its canonical size and hash. */
export interface PreparedPhaseData {
  data: JsonValue;
  contentHash: string;
  sizeBytes: number;
}

/**
 * Validates phase data against its schema (which may complete it with defaults) and measures it: refused when it is
 * not JSON, holds a NUL character (PostgreSQL's jsonb cannot store one), or is over `maxBytes` as canonical JSON.
 */
export function preparePhaseData(phase: string, input: unknown, schema: z.ZodType, maxBytes: number): PreparedPhaseData {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ValidationError(`Invalid data for phase "${phase}": ${describeIssues(result.error.issues)}`, {
      code: 'invalid_phase_data',
    });
  }
  const data = result.data as JsonValue;
  let text: string;
  try {
    text = canonicalJson(data);
  } catch {
    throw new ValidationError(`The data of phase "${phase}" is not JSON.`, { code: 'invalid_phase_data' });
  }
  if (ESCAPED_NUL.test(text)) {
    throw new ValidationError(`The data of phase "${phase}" contains a NUL character (U+0000), which cannot be stored.`, {
      code: 'nul_character',
    });
  }
  const sizeBytes = Buffer.byteLength(text, 'utf8');
  if (sizeBytes > maxBytes) {
    throw new ValidationError(`The data of phase "${phase}" is ${sizeBytes} bytes; the limit is ${maxBytes} bytes.`, {
      code: 'value_too_large',
    });
  }
  return { data, contentHash: sha256Hex(text), sizeBytes };
}
