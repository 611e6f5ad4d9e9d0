import { z } from 'zod';
import { visibleTenants } from '../access-policy.js';
import { principalOf } from '../principal.js';
import { pageOf, pageQueryShape, problemResponses, problemSchema, tenantParamsSchema } from '../schemas/common-schemas.js';
import { createTenantBodySchema, policyBodySchema, tenantSchema } from '../schemas/tenant-schemas.js';
import type { RoutePlugin } from './route-types.js';

const tags = ['tenants'];

/** POST /v1/tenants, GET /v1/tenants, GET /v1/tenants/:tenant, PUT /v1/tenants/:tenant/policy. */
export const tenantRoutes: RoutePlugin = async (app, { engine }) => {
  app.post(
    '/v1/tenants',
    {
      config: { access: 'global_admin' },
      schema: {
        tags,
        summary: 'Create a tenant (admin key valid for every tenant)',
        body: createTenantBodySchema,
        response: { 201: tenantSchema, 409: problemSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const tenant = await engine.tenants.create(request.body);
      reply.code(201).header('location', `/v1/tenants/${tenant.id}`);
      return tenant;
    },
  );

  app.get(
    '/v1/tenants',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'List the tenants this key sees',
        querystring: z.object(pageQueryShape).strict(),
        response: { 200: pageOf(tenantSchema), ...problemResponses },
      },
    },
    async (request) => {
      const visible = visibleTenants(principalOf(request));
      if (visible === undefined) return engine.tenants.list(request.query);
      if (request.query.cursor !== undefined) return { items: [] };
      return { items: await Promise.all(visible.map((id) => engine.tenants.get(id))) };
    },
  );

  app.get(
    '/v1/tenants/:tenant',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'Get a tenant', params: tenantParamsSchema, response: { 200: tenantSchema, ...problemResponses } },
    },
    async (request) => engine.tenants.get(request.params.tenant),
  );

  app.put(
    '/v1/tenants/:tenant/policy',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: "Replace the tenant's approval policy overrides (admin)",
        params: tenantParamsSchema,
        body: policyBodySchema,
        response: { 200: tenantSchema, ...problemResponses },
      },
    },
    async (request) => engine.tenants.setPolicy(request.params.tenant, request.body),
  );
};
