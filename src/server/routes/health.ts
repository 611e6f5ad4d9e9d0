import { z } from 'zod';
import type { RoutePlugin } from './route-types.js';

/** A store that answers but slower than this is reported as degraded. */
const DEGRADED_AFTER_MS = 1000;

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  store: z.object({ backend: z.string(), ok: z.boolean(), latencyMs: z.number(), detail: z.string().optional() }),
  cache: z.object({ ok: z.boolean() }),
  events: z.object({ ok: z.boolean() }),
});

/** A cache or pub/sub health, reduced to ok: its detail names hosts, and /health is public. */
async function reduced(check: () => Promise<{ ok: boolean; detail?: string | undefined }>, log: (detail: string) => void) {
  try {
    const health = await check();
    if (!health.ok) log(health.detail ?? 'not ok');
    return { ok: health.ok };
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    return { ok: false };
  }
}

/** GET /health: 200 ok or degraded, 503 when the store is down. Public; no store internals in `detail`. */
export const healthRoutes: RoutePlugin = async (app, { engine }) => {
  app.get(
    '/health',
    {
      config: { rateLimit: false },
      schema: {
        tags: ['operations'],
        summary: 'Liveness: store health (503 when down); cache and event fan-out (degraded when Redis is down)',
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
      const warn = (what: string) => (detail: string) => request.log.warn({ detail }, `${what} is degraded`);
      // Redis holds nothing that cannot be rebuilt: without it answers stay correct, so this is `degraded`, not down.
      const [cache, events] = await Promise.all([
        reduced(() => engine.cache.health(), warn('cache')),
        reduced(() => engine.pubsub.health(), warn('event fan-out')),
      ]);
      const slow = latencyMs > DEGRADED_AFTER_MS || !cache.ok || !events.ok;
      const status: 'ok' | 'degraded' | 'down' = !ok ? 'down' : slow ? 'degraded' : 'ok';
      reply.code(status === 'down' ? 503 : 200).header('cache-control', 'no-store');
      const store = { backend: engine.store.backend, ok, latencyMs, ...(detail === undefined ? {} : { detail }) };
      return { status, store, cache, events };
    },
  );
};
