// Small helpers shared by the benchmarks: medians and formatting.
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function formatRate(perSecond) {
  return `${Math.round(perSecond).toLocaleString('en-US')}/s`;
}

export function report(name, value, extra = '') {
  process.stdout.write(`${name.padEnd(58)} ${String(value).padStart(14)}${extra ? `  ${extra}` : ''}\n`);
}

/** Runs `fn` `repeats` times and returns the median of its results. */
export async function medianOf(repeats, fn) {
  const results = [];
  for (let index = 0; index < repeats; index++) results.push(await fn(index));
  return median(results);
}
