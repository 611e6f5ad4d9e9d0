import type { CompleteMilestoneInput, PutJourneyInput } from '../../assembly/journey-schemas.js';
import { completeMilestoneSchema, putJourneySchema } from '../../assembly/journey-schemas.js';
import {
  journeyGraphSchema,
  milestoneParamsSchema,
  transitionSchema,
  userJourneySchema,
  userParamsSchema,
} from '../schemas/assembly-schemas.js';
import { problemResponses, problemSchema, tenantParamsSchema } from '../schemas/common-schemas.js';
import type { RoutePlugin } from './route-types.js';

const tags = ['journeys'];

/** Milestone graphs, completions and journeys (seed 002). */
export const journeyRoutes: RoutePlugin = async (app, { engine }) => {
  app.get(
    '/v1/tenants/:tenant/journey',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: "The tenant's milestone graph (seed 002's M0–M9 graph, version 0, until one is put)",
        params: tenantParamsSchema,
        response: { 200: journeyGraphSchema, ...problemResponses },
      },
    },
    async (request) => engine.journeys.getGraph(request.params.tenant),
  );

  app.put(
    '/v1/tenants/:tenant/journey',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Replace the milestone graph (400 on cycles or unknown dependencies; 409 when expectedVersion is stale)',
        params: tenantParamsSchema,
        body: putJourneySchema,
        response: { 200: journeyGraphSchema, 409: problemSchema, ...problemResponses },
      },
    },
    async (request) => engine.journeys.putGraph(request.params.tenant, request.body as PutJourneyInput),
  );

  app.post(
    '/v1/tenants/:tenant/users/:userId/milestones/:milestone/complete',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Complete a milestone → { completed, next, context } (409 when its dependencies are not completed)',
        params: milestoneParamsSchema,
        body: completeMilestoneSchema,
        response: { 200: transitionSchema, 409: problemSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { tenant, userId, milestone } = request.params;
      return engine.journeys.complete(tenant, userId, milestone, request.body as CompleteMilestoneInput);
    },
  );

  app.get(
    '/v1/tenants/:tenant/users/:userId/journey',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: "A user's milestones (completed, available, locked), current milestone and progress",
        params: userParamsSchema,
        response: { 200: userJourneySchema, ...problemResponses },
      },
    },
    async (request) => engine.journeys.getJourney(request.params.tenant, request.params.userId),
  );
};
