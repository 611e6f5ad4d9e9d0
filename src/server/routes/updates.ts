import type { JsonValue } from '../../core/json.js';
import { visibleTenants } from '../access-policy.js';
import { principalOf } from '../principal.js';
import { pageOf, problemResponses, problemSchema, tenantParamsSchema } from '../schemas/common-schemas.js';
import {
  approveBodySchema,
  contextUpdateSchema,
  listUpdatesQuerySchema,
  proposeBodySchema,
  rejectBodySchema,
  updateParamsSchema,
  updateResultSchema,
} from '../schemas/update-schemas.js';
import { sendUpdateResult } from '../write-response.js';
import type { RoutePlugin } from './route-types.js';

const tags = ['updates'];
const resultResponses = {
  200: updateResultSchema,
  201: updateResultSchema,
  202: updateResultSchema,
  409: problemSchema,
  412: problemSchema,
  ...problemResponses,
};

/** Proposals and the review workflow, per tenant; plus GET /v1/updates across the tenants a key sees. */
export const updateRoutes: RoutePlugin = async (app, { engine }) => {
  app.post(
    '/v1/tenants/:tenant/updates',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Propose a change: 201 applied, 200 unchanged, 202 pending review, 409 conflicted',
        params: tenantParamsSchema,
        body: proposeBodySchema,
        response: resultResponses,
      },
    },
    async (request, reply) => {
      const { tenant } = request.params;
      const body = request.body;
      const result = await engine.updates.propose({
        ...body,
        value: body.value as JsonValue | undefined,
        patch: body.patch as JsonValue | undefined,
        tenantId: tenant,
      });
      return sendUpdateResult(reply, tenant, result, 201);
    },
  );

  app.get(
    '/v1/tenants/:tenant/updates',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: "List the tenant's updates (?status=pending&key=…), oldest first",
        params: tenantParamsSchema,
        querystring: listUpdatesQuerySchema,
        response: { 200: pageOf(contextUpdateSchema), ...problemResponses },
      },
    },
    async (request) => engine.updates.list({ ...request.query, tenantIds: [request.params.tenant] }),
  );

  app.get(
    '/v1/tenants/:tenant/updates/:id',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Get an update',
        params: updateParamsSchema,
        response: { 200: contextUpdateSchema, ...problemResponses },
      },
    },
    async (request) => engine.updates.get(request.params.tenant, request.params.id),
  );

  app.post(
    '/v1/tenants/:tenant/updates/:id/approve',
    {
      config: { access: 'review' },
      schema: {
        tags,
        summary: 'Approve a pending update (idempotent); 412 when expectedContentHash does not match',
        params: updateParamsSchema,
        body: approveBodySchema,
        response: resultResponses,
      },
    },
    async (request, reply) => {
      const { tenant, id } = request.params;
      const result = await engine.updates.approve(tenant, id, request.body);
      return sendUpdateResult(reply, tenant, result, 200);
    },
  );

  app.post(
    '/v1/tenants/:tenant/updates/:id/reject',
    {
      config: { access: 'review' },
      schema: {
        tags,
        summary: 'Reject a pending update (idempotent)',
        params: updateParamsSchema,
        body: rejectBodySchema,
        response: { 200: updateResultSchema, 409: problemSchema, ...problemResponses },
      },
    },
    async (request) => {
      const update = await engine.updates.reject(request.params.tenant, request.params.id, request.body);
      return { status: 'rejected' as const, update };
    },
  );

  app.get(
    '/v1/updates',
    {
      config: { access: 'review' },
      schema: {
        tags,
        summary: 'Updates across every tenant this key sees (admin, approver), e.g. ?status=pending',
        querystring: listUpdatesQuerySchema,
        response: { 200: pageOf(contextUpdateSchema), ...problemResponses },
      },
    },
    async (request) => {
      const tenantIds = visibleTenants(principalOf(request));
      return engine.updates.list({ ...request.query, tenantIds });
    },
  );
};
