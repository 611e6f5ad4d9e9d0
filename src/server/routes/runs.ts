import { z } from 'zod';
import { pageOf, problemResponses, problemSchema, tenantParamsSchema } from '../schemas/common-schemas.js';
import {
  comparisonSchema,
  createRunBodySchema,
  currentPhaseBodySchema,
  listRunsQuerySchema,
  logErrorBodySchema,
  runContextSchema,
  runParamsSchema,
  runSchema,
  runStatsSchema,
  statusBodySchema,
} from '../schemas/run-schemas.js';
import type { RoutePlugin } from './route-types.js';
import { runPhaseRoutes } from './runs-phases.js';
import { runTransferRoutes } from './runs-transfer.js';

const tags = ['runs'];
const RUNS = '/v1/tenants/:tenant/runs';
const RUN = `${RUNS}/:id`;
const changeResponses = { 200: runSchema, 409: problemSchema, ...problemResponses };

/** Runs (seed 001): create, list, read, move through phases and statuses, log errors, compare, delete. */
export const runRoutes: RoutePlugin = async (app, deps) => {
  const { engine } = deps;

  app.post(
    RUNS,
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Create a run (default template: the five evolution phases); may evict the oldest finished run',
        params: tenantParamsSchema,
        body: createRunBodySchema,
        response: { 201: runSchema, 409: problemSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const run = await engine.runs.create({ ...request.body, tenantId: request.params.tenant });
      reply.code(201).header('location', `${RUNS.replace(':tenant', run.tenantId)}/${run.id}`);
      return run;
    },
  );

  app.get(
    RUNS,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'List runs by creation time (?status=&since=), cursor-paged',
        params: tenantParamsSchema,
        querystring: listRunsQuerySchema,
        response: { 200: pageOf(runSchema), ...problemResponses },
      },
    },
    async (request) => engine.runs.list(request.params.tenant, request.query),
  );

  app.get(
    `${RUNS}/stats`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Counts and sizes of the tenant’s runs, and the limits in force',
        params: tenantParamsSchema,
        response: { 200: runStatsSchema, ...problemResponses },
      },
    },
    async (request) => engine.runs.stats(request.params.tenant),
  );

  app.get(
    RUN,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'A run with the newest version of each phase',
        params: runParamsSchema,
        response: { 200: runContextSchema, ...problemResponses },
      },
    },
    async (request) => engine.runs.get(request.params.tenant, request.params.id),
  );

  app.delete(
    RUN,
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Delete a finished run (409 while it is running)',
        params: runParamsSchema,
        response: { 204: z.null(), 409: problemSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      await engine.runs.delete(request.params.tenant, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    `${RUN}/current-phase`,
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Set the phase the run is in',
        params: runParamsSchema,
        body: currentPhaseBodySchema,
        response: changeResponses,
      },
    },
    async (request) => engine.runs.updatePhase(request.params.tenant, request.params.id, request.body.phase),
  );

  app.post(
    `${RUN}/status`,
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Finish a run: completed, failed or cancelled (a finished run no longer changes)',
        params: runParamsSchema,
        body: statusBodySchema,
        response: changeResponses,
      },
    },
    async (request) => engine.runs.setStatus(request.params.tenant, request.params.id, request.body.status),
  );

  app.post(
    `${RUN}/errors`,
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Append to the run’s error log',
        params: runParamsSchema,
        body: logErrorBodySchema,
        response: changeResponses,
      },
    },
    async (request) => engine.runs.logError(request.params.tenant, request.params.id, request.body),
  );

  app.get(
    `${RUN}/comparison`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Three-way comparison: before, plan, after, implementation and the numeric metric delta',
        params: runParamsSchema,
        response: { 200: comparisonSchema, ...problemResponses },
      },
    },
    async (request) => engine.runs.getComparisonData(request.params.tenant, request.params.id),
  );

  await app.register(runPhaseRoutes, deps);
  await app.register(runTransferRoutes, deps);
};
