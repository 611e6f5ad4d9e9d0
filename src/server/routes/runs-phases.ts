import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { NotFoundError } from '../../core/errors.js';
import type { JsonValue } from '../../core/json.js';
import type { Engine } from '../../engine.js';
import type { PhaseWriteResult } from '../../runs/phase-writes.js';
import { etagOf, expectedVersionOf, notModified } from '../preconditions.js';
import { jsonValue, pageOf, problemResponses, problemSchema } from '../schemas/common-schemas.js';
import {
  patchPhaseQuerySchema,
  phaseHistoryQuerySchema,
  phaseParamsSchema,
  phaseQuerySchema,
  phaseVersionSchema,
  phaseWriteSchema,
  putPhaseBodySchema,
} from '../schemas/run-schemas.js';
import type { RoutePlugin } from './route-types.js';

const tags = ['runs'];
const PHASE = '/v1/tenants/:tenant/runs/:id/phases/:phase';
const writeResponses = {
  200: phaseWriteSchema,
  201: phaseWriteSchema,
  409: problemSchema,
  412: problemSchema,
  413: problemSchema,
  ...problemResponses,
};

function currentVersionOf(engine: Engine, tenant: string, runId: string, phase: string) {
  return async () => {
    try {
      return (await engine.runs.getPhase(tenant, runId, phase)).version;
    } catch (error) {
      if (error instanceof NotFoundError && error.code === 'phase_not_written') return undefined;
      throw error;
    }
  };
}

function sendWrite(reply: FastifyReply, result: PhaseWriteResult) {
  const { version } = result;
  reply.code(result.created ? 201 : 200).header('etag', etagOf(version.version));
  reply.header(
    'location',
    `/v1/tenants/${version.tenantId}/runs/${version.runId}/phases/${version.phase}?version=${version.version}`,
  );
  return { ...version, status: result.created ? ('created' as const) : ('unchanged' as const) };
}

/** A phase of a run: write (PUT replaces, PATCH merges), read (newest or a version), history. */
export const runPhaseRoutes: RoutePlugin = async (app, { engine }) => {
  app.put(
    PHASE,
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Write a phase: a new version (201), or 200 when identical; If-Match: "<version>" / If-None-Match: * honoured',
        params: phaseParamsSchema,
        body: putPhaseBodySchema,
        response: writeResponses,
      },
    },
    async (request, reply) => {
      const { tenant, id, phase } = request.params;
      const expectedVersion = await expectedVersionOf(request, currentVersionOf(engine, tenant, id, phase));
      const result = await engine.runs.writePhase(tenant, id, phase, request.body.data, {
        author: request.body.author,
        expectedVersion,
      });
      return sendWrite(reply, result);
    },
  );

  app.patch(
    PHASE,
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Merge an RFC 7386 patch (the body) into the phase; concurrent merges never lose a field',
        params: phaseParamsSchema,
        querystring: patchPhaseQuerySchema,
        body: jsonValue,
        response: writeResponses,
      },
    },
    async (request, reply) => {
      const { tenant, id, phase } = request.params;
      const expectedVersion = await expectedVersionOf(request, currentVersionOf(engine, tenant, id, phase));
      const result = await engine.runs.patchPhase(tenant, id, phase, request.body as JsonValue, {
        author: request.query.author,
        expectedVersion,
      });
      return sendWrite(reply, result);
    },
  );

  app.get(
    PHASE,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'The newest version of a phase, or ?version=N; ETag "<version>", If-None-Match → 304',
        params: phaseParamsSchema,
        querystring: phaseQuerySchema,
        response: { 200: phaseVersionSchema, 304: z.null().describe('Not modified'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { tenant, id, phase } = request.params;
      const version = await engine.runs.getPhase(tenant, id, phase, { version: request.query.version });
      reply.header('etag', etagOf(version.version));
      if (notModified(request, version.version)) return reply.code(304).send(null);
      return version;
    },
  );

  app.get(
    `${PHASE}/versions`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Every version of a phase, oldest first',
        params: phaseParamsSchema,
        querystring: phaseHistoryQuerySchema,
        response: { 200: pageOf(phaseVersionSchema), ...problemResponses },
      },
    },
    async (request) => engine.runs.phaseHistory(request.params.tenant, request.params.id, request.params.phase, request.query),
  );
};
