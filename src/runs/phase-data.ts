import type { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import { canonicalJson, sha256Hex } from '../updates/content-hash.js';
import { copyCanonicalJson } from '../validation/json-copy.js';
import { describeIssues } from '../validation/parse.js';
import { jsonValueSchema } from '../validation/schemas.js';

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
 * The data returned is a copy the caller owns (a later change to the input does not reach it), and it is walked
 * once for the copy and its canonical text together. Plain JSON for a phase without a schema skips zod: the walk
 * itself accepts exactly what `jsonValueSchema` accepts of it, and anything else takes the zod path.
 */
export function preparePhaseData(phase: string, input: unknown, schema: z.ZodType, maxBytes: number): PreparedPhaseData {
  const fast = schema === jsonValueSchema ? copyCanonicalJson(input) : undefined;
  const { data, text } = fast === undefined ? validated(phase, input, schema) : { data: fast.value, text: fast.canonical };
  // Escaped NUL only appears in the text as `\u0000`: the (costlier) regex runs only when that substring is there.
  if (text.includes('\\u0000') && ESCAPED_NUL.test(text)) {
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

/** The schema's output (a copy) and its canonical text; ValidationError when the schema refuses the input. */
function validated(phase: string, input: unknown, schema: z.ZodType): { data: JsonValue; text: string } {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ValidationError(`Invalid data for phase "${phase}": ${describeIssues(result.error.issues)}`, {
      code: 'invalid_phase_data',
    });
  }
  // A loose schema passes unknown fields through by reference: the copy makes the data ours.
  const copied = copyCanonicalJson(result.data);
  if (copied !== undefined) return { data: copied.value, text: copied.canonical };
  const data = result.data as JsonValue;
  try {
    return { data, text: canonicalJson(data) };
  } catch {
    throw new ValidationError(`The data of phase "${phase}" is not JSON.`, { code: 'invalid_phase_data' });
  }
}
