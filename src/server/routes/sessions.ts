import type { SessionMessageInput } from '../../assembly/session-schemas.js';
import { appendMessagesSchema } from '../../assembly/session-schemas.js';
import { sessionParamsSchema, sessionStateSchema } from '../schemas/assembly-schemas.js';
import { problemResponses } from '../schemas/common-schemas.js';
import type { RoutePlugin } from './route-types.js';

const tags = ['sessions'];

/** The session layer: POST|GET /v1/tenants/:tenant/sessions/:sessionId/messages. */
export const sessionRoutes: RoutePlugin = async (app, { engine }) => {
  app.post(
    '/v1/tenants/:tenant/sessions/:sessionId/messages',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Append messages; the session keeps the last N under a token cap and expires one TTL after its last write',
        params: sessionParamsSchema,
        body: appendMessagesSchema,
        response: { 201: sessionStateSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { tenant, sessionId } = request.params;
      const state = await engine.sessions.append(tenant, sessionId, request.body.messages as SessionMessageInput[]);
      return reply.code(201).send(state);
    },
  );

  app.get(
    '/v1/tenants/:tenant/sessions/:sessionId/messages',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'The messages the session keeps now (empty once expired)',
        params: sessionParamsSchema,
        response: { 200: sessionStateSchema, ...problemResponses },
      },
    },
    async (request) => engine.sessions.get(request.params.tenant, request.params.sessionId),
  );
};
