import type { Registry } from 'prom-client';
import type { RoutePlugin } from './route-types.js';

/** GET /metrics: Prometheus text from the server's own registry. Public (no tenant ids in any label). */
export function metricsRoutes(registry: Registry): RoutePlugin {
  return async (app) => {
    app.get(
      '/metrics',
      { config: { rateLimit: false }, schema: { tags: ['operations'], summary: 'Prometheus metrics', security: [] } },
      async (_request, reply) => {
        reply.type(registry.contentType).header('cache-control', 'no-store');
        return registry.metrics();
      },
    );
  };
}
