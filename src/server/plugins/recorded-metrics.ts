import type { Metric, Registry } from 'prom-client';

/** One labelled series of a histogram: recording is two additions and a short bucket scan. */
export interface HistogramSeries {
  observe(value: number): void;
}

interface Series {
  labels: Record<string, string>;
  /** Per-bucket (non-cumulative) counts; the last slot is +Inf. */
  buckets: Float64Array;
  sum: number;
  count: number;
}

interface ExportedValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

export interface RecordedHistogramOptions<Label extends string> {
  name: string;
  help: string;
  labelNames: readonly Label[];
  buckets: readonly number[];
  registers: Registry[];
  /** Also export each series' observation count as this counter (e.g. requests beside their latency). */
  counter?: { name: string; help: string } | undefined;
}

/**
 * A Prometheus histogram for hot paths, exported through a prom-client registry in the same text format as
 * prom-client's `Histogram`. prom-client hashes and validates the labels on every `observe`, even of a labelled
 * child; here a series is looked up once (`series(labels)`) and each observation is plain arithmetic.
 */
export class RecordedHistogram<Label extends string> {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly #bounds: readonly number[];
  readonly #labelNames: readonly Label[];
  #series = new Map<string, Series>();

  constructor(options: RecordedHistogramOptions<Label>) {
    this.name = options.name;
    this.help = options.help;
    this.#bounds = [...options.buckets].sort((a, b) => a - b);
    this.#labelNames = options.labelNames;
    for (const registry of options.registers) registry.registerMetric(this as unknown as Metric);
    const counter = options.counter;
    if (counter !== undefined) {
      const all = this.#series;
      const countMetric = {
        ...counter,
        type: 'counter',
        aggregator: 'sum',
        get: async () => ({
          ...counter,
          type: 'counter',
          aggregator: 'sum',
          values: [...all.values()].map((series): ExportedValue => ({ labels: series.labels, value: series.count })),
        }),
        reset: () => this.reset(),
      };
      for (const registry of options.registers) registry.registerMetric(countMetric as unknown as Metric);
    }
  }

  /** The series of one label set (made on first use, then reused). */
  series(labels: Record<Label, string>): HistogramSeries {
    const id = this.#labelNames.map((name) => labels[name]).join('\u0000');
    let series = this.#series.get(id);
    if (series === undefined) {
      const own: Record<string, string> = {};
      for (const name of this.#labelNames) own[name] = labels[name];
      series = { labels: own, buckets: new Float64Array(this.#bounds.length + 1), sum: 0, count: 0 };
      this.#series.set(id, series);
    }
    const bounds = this.#bounds;
    const target = series;
    return {
      observe(value: number) {
        if (!Number.isFinite(value)) return;
        let index = 0;
        while (index < bounds.length && value > (bounds[index] as number)) index++;
        target.buckets[index] = (target.buckets[index] ?? 0) + 1;
        target.sum += value;
        target.count += 1;
      },
    };
  }

  async get() {
    const values: ExportedValue[] = [];
    for (const series of this.#series.values()) {
      let cumulative = 0;
      this.#bounds.forEach((bound, index) => {
        cumulative += series.buckets[index] as number;
        values.push({ labels: { le: bound, ...series.labels }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf', ...series.labels }, value: series.count, metricName: `${this.name}_bucket` });
      values.push({ labels: series.labels, value: series.sum, metricName: `${this.name}_sum` });
      values.push({ labels: series.labels, value: series.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    for (const series of this.#series.values()) {
      series.buckets.fill(0);
      series.sum = 0;
      series.count = 0;
    }
  }
}
