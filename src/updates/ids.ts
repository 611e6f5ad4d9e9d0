import { randomUUID } from 'node:crypto';

/**
 * A sortable, unguessable id: `<prefix>_<time base36><16 random hex digits>`. randomUUID draws from Node's
 * pooled entropy, much cheaper per call than randomBytes on the write path.
 */
export function newId(prefix: string): string {
  const time = Date.now().toString(36).padStart(9, '0');
  const random = randomUUID().replace(/-/g, '').slice(0, 16);
  return `${prefix}_${time}${random}`;
}
