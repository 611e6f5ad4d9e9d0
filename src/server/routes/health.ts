import { z } from 'zod';
import type { RoutePlugin } from './route-types.js';

/** A store that answers but slower than this is reported as degraded. */
const DEGRADED_AFTER_MS = 1000;

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  store: z.object({ backend: z.string(), ok: z.boolean(), latencyMs: z.number(), detail: z.string().optional() }),
});

/** GET /health: 200 ok or degraded, 503 when the store is down. Public; no store internals in `detail`. */
export const healthRoutes: RoutePlugin = async (app, { engine }) => {
  app.get(
    '/health',
    {
      config: { rateLimit: false },
      schema: {
        tags: ['operations'],
        summary: 'Liveness and store health',
        security: [],
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (request, reply) => {
      const started = performance.now();
      let ok = false;
      let detail: string | undefined;
      try {
        const health = await engine.store.health();
        ok = health.ok;
        if (!ok) detail = 'The store reported a failure.';
      } catch (error) {
        request.log.error({ err: error }, 'store health check failed');
        detail = 'The store did not answer.';
      }
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      const status: 'ok' | 'degraded' | 'down' = !ok ? 'down' : latencyMs > DEGRADED_AFTER_MS ? 'degraded' : 'ok';
      reply.code(status === 'down' ? 503 : 200).header('cache-control', 'no-store');
      return { status, store: { backend: engine.store.backend, ok, latencyMs, ...(detail === undefined ? {} : { detail }) } };
    },
  );
};
