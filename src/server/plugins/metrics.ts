import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Gauge, Registry } from 'prom-client';
import type { Engine } from '../../engine.js';
import { routeConfigOf } from '../principal.js';
import { type HistogramSeries, RecordedHistogram } from './recorded-metrics.js';

export interface ServerMetrics {
  registry: Registry;
  operationDuration: RecordedHistogram<'operation' | 'outcome'>;
}

const MAX_PENDING_PAGES = 20;

async function countPending(engine: Engine): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PENDING_PAGES; page++) {
    const result = await engine.store.contexts.listUpdates({ status: 'pending', cursor, limit: 500 });
    count += result.items.length;
    cursor = result.nextCursor;
    if (cursor === undefined) break;
  }
  return count;
}

/** The server's own registry (never prom-client's global one, so two servers in one process never clash). */
export function createServerMetrics(engine: Engine): ServerMetrics {
  const registry = new Registry();
  const operationDuration = new RecordedHistogram({
    name: 'ctx_store_operation_duration_seconds',
    help: 'Latency of engine operations (validation plus store round trips) by operation and outcome',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: 'ctx_pending_updates',
    help: `Updates waiting for review, across tenants (counted on scrape, at most ${MAX_PENDING_PAGES * 500})`,
    registers: [registry],
    async collect() {
      this.set(await countPending(engine));
    },
  });
  return { registry, operationDuration };
}

/** HTTP request count and latency by method, route template and status. */
export function registerHttpMetrics(app: FastifyInstance, metrics: ServerMetrics): void {
  const duration = new RecordedHistogram({
    name: 'ctx_http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metrics.registry],
    counter: { name: 'ctx_http_requests_total', help: 'HTTP requests by method, route template and status' },
  });
  // Labelled series are made once per (method, route, status), then found without building a label string: by the
  // route's config object (one per registered route) or the finer route label, then method and status code.
  type SeriesByMethod = Map<string, Map<number, HistogramSeries>>;
  const byRouteConfig = new WeakMap<object, SeriesByMethod>();
  const byRouteLabel = new Map<string, SeriesByMethod>();
  function seriesFor(scope: SeriesByMethod, method: string, route: string, statusCode: number): HistogramSeries {
    let statuses = scope.get(method);
    if (statuses === undefined) {
      statuses = new Map();
      scope.set(method, statuses);
    }
    let series = statuses.get(statusCode);
    if (series === undefined) {
      series = duration.series({ method, route, status_code: String(statusCode) });
      statuses.set(statusCode, series);
    }
    return series;
  }
  function scopeOf(request: FastifyRequest): { scope: SeriesByMethod; route: string } {
    const config = routeConfigOf(request);
    if (request.metricsRoute === null && config.url !== undefined) {
      let scope = byRouteConfig.get(config);
      if (scope === undefined) {
        scope = new Map();
        byRouteConfig.set(config, scope);
      }
      return { scope, route: config.url };
    }
    const route = request.metricsRoute ?? 'unmatched';
    let scope = byRouteLabel.get(route);
    if (scope === undefined) {
      scope = new Map();
      byRouteLabel.set(route, scope);
    }
    return { scope, route };
  }
  app.decorateRequest('metricsRoute', null);
  app.addHook('onResponse', (request, reply, done) => {
    const { scope, route } = scopeOf(request);
    seriesFor(scope, request.method, route, reply.statusCode).observe(reply.elapsedTime / 1000);
    done();
  });
}
