import { z } from 'zod';
import type { ContextPacket } from '../../core/injection.js';
import { streamEventsBodySchema } from '../../injection/stream-input-schema.js';
import { problemResponses, problemSchema, tenantParamsSchema } from '../schemas/common-schemas.js';
import {
  injectionMessageSchema,
  injectionRulesViewSchema,
  injectionStatsSchema,
  injectPacketSchema,
  putInjectionRulesSchema,
  streamParamsSchema,
} from '../schemas/injection-schemas.js';
import type { RoutePlugin } from './route-types.js';

const tags = ['injection'];

/** Injection rules, the request/response stream path, on-demand injection and figures (seed 003). */
export const injectionRoutes: RoutePlugin = async (app, { engine }) => {
  app.get(
    '/v1/tenants/:tenant/injection-rules',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: "The tenant's injection rules and their version (0 before the first put)",
        params: tenantParamsSchema,
        response: { 200: injectionRulesViewSchema, ...problemResponses },
      },
    },
    async (request) => engine.injection.getRules(request.params.tenant),
  );

  app.put(
    '/v1/tenants/:tenant/injection-rules',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Replace the injection rules (400 naming the rule and field; 409 when expectedVersion is stale)',
        params: tenantParamsSchema,
        body: putInjectionRulesSchema,
        response: { 200: injectionRulesViewSchema, 409: problemSchema, ...problemResponses },
      },
    },
    async (request) => engine.injection.putRules(request.params.tenant, request.body),
  );

  app.post(
    '/v1/tenants/:tenant/streams/:sessionId/events',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Feed stream events (one or { events: [...] }, in order) and receive the injections due now',
        params: streamParamsSchema,
        body: streamEventsBodySchema,
        response: { 200: z.object({ injections: z.array(injectionMessageSchema) }), ...problemResponses },
      },
    },
    async (request) => {
      const { tenant, sessionId } = request.params;
      const body = request.body as { events?: unknown[] };
      const inputs = Array.isArray(body.events) ? body.events : [body];
      const injections = await engine.injection.handle(tenant, sessionId, inputs);
      return { injections: injections as unknown as z.infer<typeof injectionMessageSchema>[] };
    },
  );

  app.post(
    '/v1/tenants/:tenant/streams/:sessionId/inject',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Queue a packet into the stream on demand, delivered at its synchronization point',
        params: streamParamsSchema,
        body: injectPacketSchema,
        response: { 202: z.object({ id: z.string() }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { tenant, sessionId } = request.params;
      const { packet, at } = request.body;
      const full: ContextPacket = { ...packet, metadata: { ...packet.metadata, source: 'api' } };
      return reply.code(202).send({ id: await engine.injection.inject(tenant, sessionId, full, at) });
    },
  );

  app.get(
    '/v1/tenants/:tenant/injection/stats',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: "This instance's injection figures for the tenant: outcomes by criticality and reason, queues, breakers",
        params: tenantParamsSchema,
        response: { 200: injectionStatsSchema, ...problemResponses },
      },
    },
    async (request) => engine.injection.stats(request.params.tenant),
  );
};
