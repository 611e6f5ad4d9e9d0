import { z } from 'zod';
import { tenantIdSchema } from '../../validation/schemas.js';
import { tenantOfRequest } from '../event-tenant.js';
import { pageQueryShape, problemResponses } from '../schemas/common-schemas.js';
import { contextRefSchema, eventContextSchema } from '../schemas/event-schemas.js';
import type { RoutePlugin } from './route-types.js';

const tags = ['context gateway'];
const id = z.string().min(1).max(256);

const chainResponseSchema = z.object({
  sessionId: z.string(),
  items: z.array(
    z.object({ ref: z.string(), event: z.string(), eventId: z.string(), agentId: z.string().nullable(), timestamp: z.string() }),
  ),
  nextCursor: z.string().optional(),
});
const conversationResponseSchema = z.object({
  agentId: z.string(),
  sessionId: z.string().nullable(),
  status: z.enum(['active_session', 'idle', 'no_events']),
  conversationStarted: z.string().nullable(),
  contextChainLength: z.number().int(),
  contexts: z.array(z.object({ ref: z.string(), event: z.string(), context: eventContextSchema })),
});
const recoverBodySchema = z
  .object({
    ref: contextRefSchema,
    reemit: z.boolean().optional().describe('Default true: emit <kind>:recovered as the snapshot’s child'),
    tenant: tenantIdSchema.optional().describe('Unprefixed path only: the tenant (else the key’s)'),
  })
  .strict();
const recoverResponseSchema = z.object({
  ref: z.string(),
  kind: z.string(),
  state: z.unknown(),
  context: eventContextSchema,
  recovered: z.object({ ref: z.string(), eventId: z.string() }).optional(),
});

/** Conversation continuity (session chains, agent summaries) and snapshot recovery (seed 004). */
export const eventContinuityRoutes: RoutePlugin = async (app, { engine }) => {
  app.get(
    '/v1/tenants/:tenant/sessions/:sessionId/context-chain',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'The context references of a session, oldest first',
        params: z.object({ tenant: tenantIdSchema, sessionId: id }),
        querystring: z.object(pageQueryShape).strict(),
        response: { 200: chainResponseSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { tenant, sessionId } = request.params;
      const page = await engine.events.sessionChain(tenant, sessionId, request.query);
      return { sessionId, ...page };
    },
  );

  app.get(
    '/v1/tenants/:tenant/agents/:agentId/conversation',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'An agent’s conversation: latest session, status, chain length, latest resolved contexts',
        params: z.object({ tenant: tenantIdSchema, agentId: id }),
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).optional() }).strict(),
        response: { 200: conversationResponseSchema, ...problemResponses },
      },
    },
    async (request) => engine.events.agentConversation(request.params.tenant, request.params.agentId, request.query),
  );

  for (const path of ['/v1/tenants/:tenant/context/recover', '/v1/context/recover', '/api/context/recover']) {
    app.post(
      path,
      {
        config: { access: 'write' },
        schema: {
          tags,
          hide: path.startsWith('/api/'),
          summary: 'Recover an orchestration state snapshot (and re-emit it as <kind>:recovered)',
          ...(path.includes(':tenant') ? { params: z.object({ tenant: tenantIdSchema }) } : {}),
          body: recoverBodySchema,
          response: { 200: recoverResponseSchema, ...problemResponses },
        },
      },
      async (request) => {
        const tenantId = await tenantOfRequest(engine, request, request.body.tenant);
        return engine.events.recover(tenantId, request.body.ref, { reemit: request.body.reemit });
      },
    );
  }
};
