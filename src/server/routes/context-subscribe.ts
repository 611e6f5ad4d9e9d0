import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { EventRecord } from '../../core/event-context.js';
import { tenantIdSchema } from '../../validation/schemas.js';
import { tenantOfRequest } from '../event-tenant.js';
import type { RouteDeps } from './route-types.js';

const correlationShape = {
  correlation_id: z.string().min(1).max(256).optional(),
  correlationId: z.string().min(1).max(256).optional(),
};
const hasCorrelation = (query: { correlation_id?: string | undefined; correlationId?: string | undefined }) =>
  (query.correlation_id ?? query.correlationId) !== undefined;
const required = { message: 'correlation_id is required' };

const scopedQuerySchema = z.object(correlationShape).strict().refine(hasCorrelation, required);
/** The unprefixed paths also take `tenant` (open mode, keys valid for every tenant), as the other gateway routes do. */
const unprefixedQuerySchema = z
  .object({ ...correlationShape, tenant: tenantIdSchema.optional() })
  .strict()
  .refine(hasCorrelation, required);
type SubscribeQuery = z.infer<typeof unprefixedQuerySchema>;

/** The tenant-scoped path, then the seed's unprefixed ones (the tenant comes from the key, or `?tenant=`). */
const PATHS = ['/v1/tenants/:tenant/context/subscribe', '/v1/context/subscribe', '/api/context/subscribe'] as const;

/** Most messages a slow subscriber may have unsent before it is disconnected (1013 try again later). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * WebSocket `…/context/subscribe?correlation_id=`: every new event of that correlation in the tenant, as it is stored
 * here or (with Redis) on another instance: `{ type: "event", ref, event, context, data }`. Authentication and the
 * tenant check happen before the upgrade: onRequest for the path's tenant, then (preHandler) the tenant of the
 * request, resolved as on every gateway route — a key for another tenant gets the same 404 as an unknown tenant.
 */
export const contextSubscribeRoutes: FastifyPluginAsync<RouteDeps> = async (app, { engine }) => {
  const tenants = new WeakMap<FastifyRequest, string>();
  for (const path of PATHS) {
    const scoped = path.includes(':tenant');
    app.get(
      path,
      {
        websocket: true,
        config: { access: 'read' },
        schema: {
          tags: ['context gateway'],
          summary: 'WebSocket: stream new events of a correlation id (?correlation_id=)',
          ...(scoped ? { params: z.object({ tenant: tenantIdSchema }) } : {}),
          querystring: scoped ? scopedQuerySchema : unprefixedQuerySchema,
        },
        preHandler: async (request) => {
          tenants.set(request, await tenantOfRequest(engine, request, (request.query as SubscribeQuery).tenant));
        },
      },
      (socket, request) => {
        const tenant = tenants.get(request);
        const query = request.query as SubscribeQuery;
        const correlationId = query.correlation_id ?? query.correlationId;
        if (tenant === undefined) {
          socket.close(1011, 'no tenant');
          return;
        }
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
  }
};
