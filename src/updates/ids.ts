import { randomBytes } from 'node:crypto';

/** A sortable, unguessable id: `<prefix>_<time base36><random base32>`. */
export function newId(prefix: string): string {
  const time = Date.now().toString(36).padStart(9, '0');
  const random = randomBytes(10).toString('base64url').replace(/[-_]/g, 'x').slice(0, 12).toLowerCase();
  return `${prefix}_${time}${random}`;
}
