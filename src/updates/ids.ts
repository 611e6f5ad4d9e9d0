import { randomUUID } from 'node:crypto';

let lastTime = '';
let lastRandom = 0n;

/**
 * A sortable, unguessable id: `<prefix>_<time base36><16 random hex digits>`. randomUUID draws from Node's
 * pooled entropy, much cheaper per call than randomBytes on the write path. Ids made in the same millisecond by
 * this process still sort in creation order: the random part then grows from the previous one by a random step
 * (it starts below 2^63, so there is room to grow).
 */
export function newId(prefix: string): string {
  const time = Date.now().toString(36).padStart(9, '0');
  const entropy = randomUUID().replace(/-/g, '');
  const random =
    time === lastTime ? lastRandom + 1n + BigInt(`0x${entropy.slice(0, 8)}`) : BigInt(`0x${entropy.slice(0, 16)}`) >> 1n;
  lastTime = time;
  lastRandom = random;
  return `${prefix}_${time}${random.toString(16).padStart(16, '0')}`;
}
