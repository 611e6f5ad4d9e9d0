import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Engine } from '../../engine.js';

export interface ServerMetrics {
  registry: Registry;
  operationDuration: Histogram<'operation' | 'outcome'>;
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
  const operationDuration = new Histogram({
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
  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new Counter({
    name: 'ctx_http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames,
    registers: [metrics.registry],
  });
  const duration = new Histogram({
    name: 'ctx_http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metrics.registry],
  });
  // Labelled children are looked up once per (method, route, status), not hashed on every request.
  const children = new Map<string, { count: () => void; observe: (seconds: number) => void }>();
  function childFor(method: string, route: string, statusCode: number) {
    const id = `${method} ${route} ${statusCode}`;
    let child = children.get(id);
    if (child === undefined) {
      const labels = { method, route, status_code: String(statusCode) };
      const counter = requests.labels(labels);
      const histogram = duration.labels(labels);
      child = { count: () => counter.inc(), observe: (seconds) => histogram.observe(seconds) };
      children.set(id, child);
    }
    return child;
  }
  app.decorateRequest('metricsRoute', null);
  app.addHook('onResponse', (request, reply, done) => {
    const child = childFor(request.method, request.metricsRoute ?? request.routeOptions.url ?? 'unmatched', reply.statusCode);
    child.count();
    child.observe(reply.elapsedTime / 1000);
    done();
  });
}
