import { performance } from 'node:perf_hooks';

/**
 * The system load the degradation level reads: this process's event-loop utilisation (0–1) since the previous
 * call, smoothed; sampled at most every `minIntervalMs`.
 */
export function eventLoopLoad(minIntervalMs = 500): () => number {
  let previous = performance.eventLoopUtilization();
  let sampledAt = performance.now();
  let load = 0;
  return () => {
    const now = performance.now();
    if (now - sampledAt < minIntervalMs) return load;
    const current = performance.eventLoopUtilization();
    const delta = performance.eventLoopUtilization(current, previous);
    previous = current;
    sampledAt = now;
    load = load * 0.5 + delta.utilization * 0.5;
    return load;
  };
}
