import type { Criticality, Injection } from '../../core/injection.js';

const CRITICALITY_RANK: Record<Criticality, number> = { critical: 0, important: 1, helpful: 2, optional: 3 };

/** An injection in a buffer, with its arrival number for FIFO order among equals. */
export interface BufferedInjection {
  injection: Injection;
  sequence: number;
}

/**
 * Buffer order, best first: higher `packet.metadata.priority`, then higher criticality, then earlier
 * deadline (none counts as latest), then earlier arrival. Negative when `a` goes before `b`.
 */
export function compareBuffered(a: BufferedInjection, b: BufferedInjection): number {
  const left = a.injection;
  const right = b.injection;
  const byPriority = right.packet.metadata.priority - left.packet.metadata.priority;
  if (byPriority !== 0) return byPriority;
  const byCriticality = CRITICALITY_RANK[left.packet.metadata.criticality] - CRITICALITY_RANK[right.packet.metadata.criticality];
  if (byCriticality !== 0) return byCriticality;
  const byDeadline = (left.deadlineAt ?? Number.POSITIVE_INFINITY) - (right.deadlineAt ?? Number.POSITIVE_INFINITY);
  if (byDeadline !== 0 && !Number.isNaN(byDeadline)) return byDeadline;
  return a.sequence - b.sequence;
}
