import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { EventRecord } from '../../core/event-context.js';
import { tenantIdSchema } from '../../validation/schemas.js';
import type { RouteDeps } from './route-types.js';

const querySchema = z
  .object({
    correlation_id: z.string().min(1).max(256).optional(),
    correlationId: z.string().min(1).max(256).optional(),
  })
  .strict()
  .refine((query) => (query.correlation_id ?? query.correlationId) !== undefined, {
    message: 'correlation_id is required',
  });

/** Most messages a slow subscriber may have unsent before it is disconnected (1013 try again later). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * WebSocket `…/context/subscribe?correlation_id=`: every new event of that correlation in the tenant, as it is stored
 * here or (with Redis) on another instance: `{ type: "event", ref, event, context, data }`. Authentication and the
 * tenant check are the same as for every tenant route (onRequest, before the upgrade).
 */
export const contextSubscribeRoutes: FastifyPluginAsync<RouteDeps> = async (app, { engine }) => {
  app.get(
    '/v1/tenants/:tenant/context/subscribe',
    {
      websocket: true,
      config: { access: 'read' },
      schema: {
        tags: ['context gateway'],
        summary: 'WebSocket: stream new events of a correlation id (?correlation_id=)',
        params: z.object({ tenant: tenantIdSchema }),
        querystring: querySchema,
      },
    },
    (socket, request) => {
      const { tenant } = request.params as { tenant: string };
      const query = request.query as z.infer<typeof querySchema>;
      const correlationId = query.correlation_id ?? query.correlationId;
      const send = (record: EventRecord) => {
        if (record.tenantId !== tenant || record.context.correlationId !== correlationId) return;
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          socket.close(1013, 'subscriber too slow');
          return;
        }
        const { tenantId: _tenant, ...rest } = record;
        socket.send(JSON.stringify({ type: 'event', ...rest }));
      };
      const unsubscribe = engine.events.subscribe(send);
      socket.on('close', unsubscribe);
      socket.on('error', unsubscribe);
      socket.on('message', () => {
        // the stream is one-way; a client message is ignored
      });
      socket.send(JSON.stringify({ type: 'subscribed', correlationId }));
    },
  );
};
