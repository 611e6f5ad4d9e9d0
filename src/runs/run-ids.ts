import { randomUUID } from 'node:crypto';

let lastTime = 0;
let sequence = 0;

/**
 * A run id, `run_<time base36><sequence base36><12 random hex digits>`: unguessable, and increasing within a process
 * even for runs created in the same millisecond, so runs listed by (createdAt, id) come out in creation order.
 */
export function newRunId(): string {
  const now = Date.now();
  if (now === lastTime) sequence += 1;
  else {
    lastTime = now;
    sequence = 0;
  }
  const time = now.toString(36).padStart(9, '0');
  const counter = sequence.toString(36).padStart(4, '0');
  return `run_${time}${counter}${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}
