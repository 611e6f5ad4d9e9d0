import type { FastifyRequest } from 'fastify';
import { NotFoundError } from '../../core/errors.js';
import type { JsonValue } from '../../core/json.js';
import type { Engine } from '../../engine.js';
import { contextTarget } from '../context-path.js';
import { expectedVersionOf } from '../preconditions.js';
import { HttpProblemError } from '../problem.js';
import { jsonValue, problemResponses, problemSchema } from '../schemas/common-schemas.js';
import {
  contextParamsSchema,
  putBodySchema,
  rollbackBodySchema,
  writeAppliedSchema,
  writePendingSchema,
  writeQuerySchema,
} from '../schemas/context-schemas.js';
import { sendDocumentWrite } from '../write-response.js';
import type { RoutePlugin } from './route-types.js';

const tags = ['contexts'];
const KEY_ROUTE = '/v1/tenants/:tenant/contexts/*';
const MERGE_PATCH = /^application\/(merge-patch\+)?json\s*(;|$)/i;

const writeResponses = {
  200: writeAppliedSchema,
  201: writeAppliedSchema,
  202: writePendingSchema,
  409: problemSchema,
  412: problemSchema,
  413: problemSchema,
  415: problemSchema,
  ...problemResponses,
};

function currentVersionOf(engine: Engine, tenant: string, key: string) {
  return async () => {
    try {
      return (await engine.contexts.get(tenant, key)).version;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  };
}

function keyOf(request: FastifyRequest): string {
  return contextTarget(request.url, []).key;
}

/** PUT / PATCH / DELETE contexts/:key and POST contexts/:key/rollback: writes through the governed path. */
export const contextWriteRoutes: RoutePlugin = async (app, { engine }) => {
  app.put(
    KEY_ROUTE,
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Write a full value (If-Match: "<version>" / If-None-Match: * honoured)',
        params: contextParamsSchema,
        body: putBodySchema,
        response: writeResponses,
      },
    },
    async (request, reply) => {
      const { tenant } = request.params;
      const key = keyOf(request);
      const { value, ...who } = request.body;
      const expectedVersion = await expectedVersionOf(request, currentVersionOf(engine, tenant, key));
      const result = await engine.contexts.put(tenant, key, value as JsonValue, { ...who, expectedVersion });
      return sendDocumentWrite(reply, tenant, result, 201);
    },
  );

  app.patch(
    KEY_ROUTE,
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Apply an RFC 7386 merge patch (body = the patch; source, author, confidence, comment as query parameters)',
        params: contextParamsSchema,
        querystring: writeQuerySchema,
        body: jsonValue,
        response: writeResponses,
      },
    },
    async (request, reply) => {
      const contentType = request.headers['content-type'];
      if (contentType === undefined || !MERGE_PATCH.test(contentType)) {
        throw new HttpProblemError({
          status: 415,
          code: 'unsupported_media_type',
          detail: 'PATCH takes an RFC 7386 merge patch: send Content-Type: application/merge-patch+json.',
        });
      }
      const { tenant } = request.params;
      const key = keyOf(request);
      const expectedVersion = await expectedVersionOf(request, currentVersionOf(engine, tenant, key));
      const result = await engine.contexts.patch(tenant, key, request.body as JsonValue, { ...request.query, expectedVersion });
      return sendDocumentWrite(reply, tenant, result, 201);
    },
  );

  app.delete(
    KEY_ROUTE,
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Delete (a tombstone version; history stays). If-Match honoured',
        params: contextParamsSchema,
        querystring: writeQuerySchema,
        response: writeResponses,
      },
    },
    async (request, reply) => {
      const { tenant } = request.params;
      const key = keyOf(request);
      const expectedVersion = await expectedVersionOf(request, currentVersionOf(engine, tenant, key));
      const result = await engine.contexts.delete(tenant, key, { ...request.query, expectedVersion });
      return sendDocumentWrite(reply, tenant, result, 200);
    },
  );

  app.post(
    KEY_ROUTE,
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'POST contexts/:key/rollback: a new version with the value of toVersion',
        params: contextParamsSchema,
        body: rollbackBodySchema,
        response: writeResponses,
      },
      preValidation: async (request, reply) => {
        if (contextTarget(request.url, ['rollback']).suffix === 'rollback') return;
        reply.header('allow', 'GET, PUT, PATCH, DELETE');
        throw new HttpProblemError({
          status: 405,
          code: 'method_not_allowed',
          detail: 'POST on a context document is only defined for …/rollback; use GET, PUT, PATCH or DELETE.',
        });
      },
    },
    async (request, reply) => {
      request.metricsRoute = `${KEY_ROUTE}/rollback`;
      const { tenant } = request.params;
      const { key } = contextTarget(request.url, ['rollback']);
      const { toVersion, ...who } = request.body;
      const expectedVersion = await expectedVersionOf(request, currentVersionOf(engine, tenant, key));
      const result = await engine.contexts.rollback(tenant, key, toVersion, { ...who, expectedVersion });
      return sendDocumentWrite(reply, tenant, result, 201);
    },
  );
};
