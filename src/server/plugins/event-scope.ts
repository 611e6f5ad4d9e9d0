import type { FastifyInstance } from 'fastify';
import { type ParentLink, runInEventScope } from '../../events/event-scope.js';
import { linkFromTraceHeaders, newTraceId } from '../../events/traceparent.js';

const CORRELATION_HEADER = 'x-correlation-id';
const CORRELATION_ID = /^[\x21-\x7e]{1,256}$/;

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Every request runs in an event scope (AsyncLocalStorage), so every event it causes — its own `POST …/events`, and
 * the engine's `update.proposed`, `context.updated`, … — shares one correlation id: from `traceparent` (+ baggage),
 * else `X-Correlation-Id`, else a new trace. The correlation id is echoed in `X-Correlation-Id`.
 */
export function registerEventScope(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    const params = request.params as Record<string, unknown> | undefined;
    const tenantId = typeof params?.tenant === 'string' ? params.tenant : undefined;
    const traced = linkFromTraceHeaders(tenantId, {
      traceparent: header(request.headers.traceparent),
      baggage: header(request.headers.baggage),
    });
    const given = header(request.headers[CORRELATION_HEADER]);
    let link: ParentLink;
    if (traced !== undefined) {
      link = given !== undefined && CORRELATION_ID.test(given) ? { ...traced, correlationId: given } : traced;
    } else {
      const traceId = newTraceId();
      link = {
        tenantId,
        eventId: null,
        rootEventId: null,
        correlationId: given !== undefined && CORRELATION_ID.test(given) ? given : `corr_${traceId}`,
        depth: -1,
        traceId,
        agentId: null,
        clientId: null,
        sessionId: null,
        originator: null,
      };
    }
    reply.header(CORRELATION_HEADER, link.correlationId);
    runInEventScope({ link }, done);
  });
}
