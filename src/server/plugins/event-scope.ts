import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type ParentLink, runInEventScope } from '../../events/event-scope.js';
import { linkFromTraceHeaders, newTraceId } from '../../events/traceparent.js';
import { routeConfigOf } from '../principal.js';

const CORRELATION_HEADER = 'x-correlation-id';
const CORRELATION_ID = /^[\x21-\x7e]{1,256}$/;

/** True when a correlation id can travel as an `X-Correlation-Id` header (printable ASCII, at most 256 characters). */
export function isHeaderSafeCorrelationId(value: string): boolean {
  return CORRELATION_ID.test(value);
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function linkOfRequest(request: FastifyRequest): ParentLink {
  const params = request.params as Record<string, unknown> | undefined;
  const tenantId = typeof params?.tenant === 'string' ? params.tenant : undefined;
  const traced = linkFromTraceHeaders(tenantId, {
    traceparent: header(request.headers.traceparent),
    baggage: header(request.headers.baggage),
  });
  const given = header(request.headers[CORRELATION_HEADER]);
  const validGiven = given !== undefined && CORRELATION_ID.test(given) ? given : undefined;
  if (traced !== undefined) return validGiven === undefined ? traced : { ...traced, correlationId: validGiven };
  const traceId = newTraceId();
  return {
    tenantId,
    eventId: null,
    rootEventId: null,
    correlationId: validGiven ?? `corr_${traceId}`,
    depth: -1,
    traceId,
    agentId: null,
    clientId: null,
    sessionId: null,
    originator: null,
    invented: { correlation: validGiven === undefined },
  };
}

/** The correlation id alone, as `linkOfRequest` would choose it (for requests that cause no event). */
function correlationIdOf(request: FastifyRequest): string {
  const given = header(request.headers[CORRELATION_HEADER]);
  if (given !== undefined && CORRELATION_ID.test(given)) return given;
  if (request.headers.traceparent !== undefined) return linkOfRequest(request).correlationId;
  return `corr_${newTraceId()}`;
}

/**
 * Every request that may cause events runs in an event scope (AsyncLocalStorage), so every event it causes — its
 * own `POST …/events`, and the engine's `update.proposed`, `context.updated`, … — shares one correlation id: from
 * `traceparent` (+ baggage), else `X-Correlation-Id`, else a new trace. Every response echoes the correlation id in
 * `X-Correlation-Id`; routes with `config.emitsEvents: false` (reads) skip the scope itself.
 */
export function registerEventScope(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (routeConfigOf(request).emitsEvents === false) {
      reply.header(CORRELATION_HEADER, correlationIdOf(request));
      return done();
    }
    const link = linkOfRequest(request);
    reply.header(CORRELATION_HEADER, link.correlationId);
    runInEventScope({ link }, done);
  });
}
