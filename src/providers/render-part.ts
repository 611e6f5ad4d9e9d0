import type { PacketPart } from '../core/injection.js';
import type { JsonValue } from '../core/json.js';

const PLAIN_KEY = /^[A-Za-z0-9_.-]{1,64}$/;

function isEmpty(value: JsonValue): boolean {
  if (value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/**
 * A packet part as `key: value` lines, in the part's own key order (the same part always renders the same text,
 * which keeps provider prompt caches warm). Strings are written as they are, other values as JSON; empty values
 * (null, "", [], {}) are left out. The result is not escaped yet: the section renderer does that.
 */
export function renderPart(part: PacketPart): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(part)) {
    if (isEmpty(value)) continue;
    const name = PLAIN_KEY.test(key) ? key : JSON.stringify(key);
    lines.push(`${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return lines.join('\n');
}
