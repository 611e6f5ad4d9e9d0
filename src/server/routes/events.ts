import { ValidationError } from '../../core/errors.js';
import type { JsonValue } from '../../core/json.js';
import { traceHeadersOf } from '../../events/traceparent.js';
import { isHeaderSafeCorrelationId } from '../plugins/event-scope.js';
import { problemResponses, problemSchema, tenantParamsSchema } from '../schemas/common-schemas.js';
import { emitBodySchema, emitResponseSchema } from '../schemas/event-schemas.js';
import type { RoutePlugin } from './route-types.js';

/**
 * POST /v1/tenants/:tenant/events: emit an event. Its parent is `parent` (a reference of this tenant), else the
 * request's `traceparent` (+ baggage), else none — and it carries the request's correlation id. 201 once stored
 * (durably, unless `durability: "buffered"`), with the event's own `traceparent` to continue the trace. A retry of
 * an event with its own `context.eventId` (same timestamp and parent) is the identical context: the same ref,
 * `deduplicated: true`, stored once.
 */
export const eventRoutes: RoutePlugin = async (app, { engine }) => {
  app.post(
    '/v1/tenants/:tenant/events',
    {
      config: { access: 'write' },
      schema: {
        tags: ['events'],
        summary: 'Emit an event: 201 { eventId, ref, context, deduplicated }; its context is stored once and referenced',
        params: tenantParamsSchema,
        body: emitBodySchema,
        response: { 201: emitResponseSchema, 422: problemSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { tenant } = request.params;
      const { event, data, context, parent, durability } = request.body;
      const parentContext = parent === undefined ? undefined : await engine.events.find(tenant, parent);
      if (parent !== undefined && parentContext === undefined) {
        throw new ValidationError(`The parent ${parent} is not a context of tenant "${tenant}".`, {
          code: 'unknown_parent_context',
          details: { parent },
        });
      }
      const traceparent = request.headers.traceparent;
      const baggage = request.headers.baggage;
      const emitted = await engine.events.emit(
        event,
        data as JsonValue | undefined,
        {
          ...context,
          custom: context?.custom as { [key: string]: JsonValue } | undefined,
          tenantId: tenant,
          ...(parentContext === undefined ? {} : { parent: parentContext.context }),
          ...(parentContext === undefined && typeof traceparent === 'string'
            ? { traceparent, baggage: typeof baggage === 'string' ? baggage : undefined }
            : {}),
        },
        { durability: durability ?? 'acknowledged' },
      );
      const headers = traceHeadersOf(emitted.context);
      reply.header('traceparent', headers.traceparent).header('baggage', headers.baggage);
      // the event's own correlation (an event id of the caller's may have replaced the request's made-up one); one
      // that is not a valid header value (non-ASCII) is in the body and the baggage (percent-encoded) only
      const { correlationId } = emitted.context;
      if (isHeaderSafeCorrelationId(correlationId)) reply.header('x-correlation-id', correlationId);
      else reply.removeHeader('x-correlation-id');
      reply.code(201);
      return { eventId: emitted.eventId, ref: emitted.ref, context: emitted.context, deduplicated: emitted.deduplicated };
    },
  );
};
