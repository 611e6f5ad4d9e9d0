import type { FastifyRequest } from 'fastify';
import type { EventContext } from '../../core/event-context.js';
import type { Engine } from '../../engine.js';
import { tenantOfRequest } from '../event-tenant.js';
import { problemResponses, tenantParamsSchema } from '../schemas/common-schemas.js';
import {
  eventHealthResponseSchema,
  queryBodySchema,
  queryResponseSchema,
  resolveBatchBodySchema,
  resolveBatchResponseSchema,
  resolveBodySchema,
  resolveResponseSchema,
  statsResponseSchema,
  tenantQuerySchema,
} from '../schemas/event-schemas.js';
import type { RoutePlugin } from './route-types.js';

const tags = ['context gateway'];

/** The tenant-scoped prefix, then the seed's unprefixed paths (the tenant comes from the key, or a `tenant` field). */
const PREFIXES = ['/v1/tenants/:tenant/context', '/v1/context', '/api/context'] as const;

/**
 * What wraps the batch's answer: written into the same buffer as the contexts (no copy of a few hundred kilobytes to
 * wrap them, nothing encoded after).
 */
const CONTEXTS_ENVELOPE = { before: '{"contexts":', after: '}' } as const;

function registerAt(app: Parameters<RoutePlugin>[0], engine: Engine, prefix: (typeof PREFIXES)[number]): void {
  const scoped = prefix.includes(':tenant');
  const params = scoped ? { params: tenantParamsSchema } : {};
  const hidden = scoped ? {} : { hide: prefix === '/api/context' };
  const tenantOf = (request: FastifyRequest, given: string | undefined) => tenantOfRequest(engine, request, given);

  app.post(
    `${prefix}/resolve`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        ...hidden,
        summary: 'Resolve a context reference (hot tier, then cold)',
        ...params,
        body: resolveBodySchema,
        response: { 200: resolveResponseSchema, ...problemResponses },
      },
    },
    async (request) => {
      const tenantId = await tenantOf(request, request.body.tenant);
      return { ref: request.body.ref, context: await engine.events.resolve(tenantId, request.body.ref) };
    },
  );

  app.post(
    `${prefix}/resolve_batch`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        ...hidden,
        summary: 'Resolve up to 1,000 references at once; unknown ones map to null',
        ...params,
        body: resolveBatchBodySchema,
        response: { 200: resolveBatchResponseSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const tenantId = await tenantOf(request, request.body.tenant);
      // the body of resolveBatchResponseSchema, written from the hot tier's records without building objects, sent as
      // UTF-8 bytes (the typed reply only knows the object form)
      const bytes = await engine.events.resolveBatchBytes(tenantId, request.body.refs, CONTEXTS_ENVELOPE);
      const body = bytes as unknown as { contexts: Record<string, EventContext | null> };
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );

  app.post(
    `${prefix}/query`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        ...hidden,
        summary: 'Events by correlation id, event id, agent, session or name, in a time range, oldest first',
        ...params,
        body: queryBodySchema,
        response: { 200: queryResponseSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { tenant, ...query } = request.body;
      const tenantId = await tenantOf(request, tenant);
      const page = await engine.events.query(tenantId, query);
      return { items: page.items.map(({ tenantId: _tenant, ...item }) => item), nextCursor: page.nextCursor };
    },
  );

  app.get(
    `${prefix}/stats`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        ...hidden,
        summary: 'Counts per tier, hit rates, sizes and the dedup ratio of the tenant',
        ...params,
        querystring: tenantQuerySchema,
        response: { 200: statsResponseSchema, ...problemResponses },
      },
    },
    async (request) => engine.events.stats(await tenantOf(request, request.query.tenant)),
  );

  app.get(
    `${prefix}/health`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        ...hidden,
        summary: 'Health of the event context system: hot tier, cold writer backlog, store',
        ...params,
        querystring: tenantQuerySchema,
        response: { 200: eventHealthResponseSchema, 503: eventHealthResponseSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      await tenantOf(request, request.query.tenant);
      const health = await engine.events.health();
      const { detail: _detail, lastError: _lastError, ...cold } = health.cold;
      return reply.code(health.status === 'down' ? 503 : 200).send({ ...health, cold });
    },
  );
}

/** The context gateway (seed 004) under every prefix it answers on. */
export const contextGatewayRoutes: RoutePlugin = async (app, { engine }) => {
  for (const prefix of PREFIXES) registerAt(app, engine, prefix);
};
