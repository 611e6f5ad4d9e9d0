import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createLocalRateWindows } from './local-rate-windows.js';
import { RecordedHistogram } from './recorded-metrics.js';

describe('RecordedHistogram', () => {
  it('exports the same text as a prom-client Histogram, plus its counts as a counter', async () => {
    const options = { help: 'latency', labelNames: ['route'] as const, buckets: [0.01, 0.1, 1] };
    const ours = new Registry();
    const theirs = new Registry();
    const recorded = new RecordedHistogram({
      ...options,
      name: 'x_seconds',
      registers: [ours],
      counter: { name: 'x_total', help: 'count' },
    });
    const reference = new Histogram({ ...options, name: 'x_seconds', registers: [theirs] });
    for (const [route, value] of [
      ['/a', 0.005],
      ['/a', 0.5],
      ['/b', 3],
      ['/a', 0.1],
    ] as const) {
      recorded.series({ route }).observe(value);
      reference.labels({ route }).observe(value);
    }
    const text = await ours.metrics();
    expect(text).toContain(await theirs.metrics().then((all) => all.trim()));
    expect(text).toMatch(/^x_total\{route="\/a"\} 3$/m);
    expect(text).toMatch(/^x_total\{route="\/b"\} 1$/m);
  });
});

describe('local rate windows', () => {
  it('counts per key in fixed windows', () => {
    const windows = createLocalRateWindows(1000);
    expect(windows.increment('a', 0)).toEqual({ count: 1, resetAt: 1000 });
    expect(windows.increment('a', 500).count).toBe(2);
    expect(windows.increment('b', 500)).toEqual({ count: 1, resetAt: 1500 });
    expect(windows.increment('a', 1000)).toEqual({ count: 1, resetAt: 2000 });
  });
});
