import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { DEGRADATION_LEVELS } from '../../injection/resilience/degradation.js';
import type { RoutePlugin } from './route-types.js';

/** A reason as a label: its kind only (`sink_error:<message>` → `sink_error`), so the label set stays small. */
function reasonLabel(reason: string): string {
  const [kind, detail] = reason.split(':');
  return kind === 'filtered' && detail !== undefined ? `filtered:${detail}` : (kind ?? reason);
}

/** Prometheus figures of the injection engine (no tenant labels: /metrics is public). */
export function injectionMetricsRoutes(registry: Registry): RoutePlugin {
  return async (app, { engine }) => {
    const { injection } = engine;
    const outcomes = new Counter({
      name: 'ctx_injections_total',
      help: 'Injections by criticality, outcome (prepared, delivered, dropped, failed, expired, skipped, cancelled) and reason',
      labelNames: ['criticality', 'outcome', 'reason'] as const,
      registers: [registry],
    });
    const decisions = new Histogram({
      name: 'ctx_injection_decision_seconds',
      help: 'Rule evaluation per stream input',
      buckets: [0.000005, 0.00001, 0.00002, 0.00005, 0.0001, 0.0005, 0.001, 0.01],
      registers: [registry],
    });
    new Gauge({
      name: 'ctx_injection_streams',
      help: 'Live injection streams on this instance',
      registers: [registry],
      collect() {
        this.set(injection.totals().streams);
      },
    });
    new Gauge({
      name: 'ctx_injection_queue_depth',
      help: 'Injections waiting for a synchronization point or a slow consumer, across streams',
      registers: [registry],
      collect() {
        this.set(injection.totals().queueDepth);
      },
    });
    new Gauge({
      name: 'ctx_injection_breakers',
      help: 'Delivery circuit breakers by state (closed ones not counted)',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        for (const [state, count] of Object.entries(injection.totals().breakers)) this.set({ state }, count);
      },
    });
    new Gauge({
      name: 'ctx_injection_degradation_level',
      help: 'Delivery degradation level: 0 full, 1 essential, 2 critical-only, 3 skip',
      registers: [registry],
      collect() {
        this.set(DEGRADATION_LEVELS.indexOf(injection.totals().degradation));
      },
    });
    const unsubscribe = injection.metrics.subscribe((sample) => {
      if (sample.kind === 'decision') decisions.observe(sample.microseconds / 1_000_000);
      else outcomes.inc({ criticality: sample.criticality, outcome: sample.outcome, reason: reasonLabel(sample.reason) });
    });
    app.addHook('onClose', async () => unsubscribe());
  };
}
