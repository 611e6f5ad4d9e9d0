/** Seed 002's recency weighting: items younger than the window weigh `factor` times more (2.0 under 24 h). */
export interface RecencyPolicy {
  windowMs: number;
  factor: number;
}

export function recencyWeight(createdAt: string | undefined, nowMs: number, policy: RecencyPolicy): number {
  if (createdAt === undefined) return 1;
  const age = nowMs - Date.parse(createdAt);
  return age < policy.windowMs ? policy.factor : 1;
}

/** When an item of this age stops being recent (epoch ms), or undefined when it already is not. */
export function recencyEndsAt(createdAt: string | undefined, nowMs: number, policy: RecencyPolicy): number | undefined {
  if (createdAt === undefined || policy.factor === 1) return undefined;
  const end = Date.parse(createdAt) + policy.windowMs;
  return end > nowMs ? end : undefined;
}
