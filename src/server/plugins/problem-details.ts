import type { FastifyInstance, FastifyRequest } from 'fastify';
import { neutralNotFound } from '../not-found-detail.js';
import { buildProblem, problemFromError, sendProblem } from '../problem.js';

const METHODS = ['GET', 'PUT', 'PATCH', 'POST', 'DELETE'] as const;

function templateToPattern(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}$`);
}

/** The `instance` of a problem: this request's id, never the URL (which may carry identifiers). */
export function problemInstance(request: FastifyRequest): string {
  return `urn:uuid:${request.id}`;
}

function pathTenant(request: FastifyRequest): string | undefined {
  const tenant = (request.params as Record<string, unknown> | undefined)?.tenant;
  return typeof tenant === 'string' ? tenant : undefined;
}

/**
 * Every error becomes RFC 9457 problem+json: engine errors by class, Fastify's own (bad JSON 400, media
 * type 415, body size 413, schema 400), unknown routes 404, a known path with another method 405.
 * Unexpected errors are logged and answered with a generic 500.
 */
export function registerProblemDetails(app: FastifyInstance): void {
  const routes: { method: string; pattern: RegExp }[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.push({ method, pattern: templateToPattern(route.url) });
  });

  app.setErrorHandler((error, request, reply) => {
    const mapped = problemFromError(error);
    if (mapped.internal) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: mapped.code, status: mapped.status }, 'request rejected');
    const draft = neutralNotFound(mapped, pathTenant(request));
    if (draft.status === 401) reply.header('www-authenticate', 'Bearer realm="context-engine"');
    reply.removeHeader('etag');
    reply.removeHeader('location');
    return sendProblem(reply, buildProblem(draft, problemInstance(request)));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = METHODS.filter((method) => routes.some((route) => route.method === method && route.pattern.test(path)));
    if (allowed.length > 0 && !allowed.includes(request.method as (typeof METHODS)[number])) {
      reply.header('allow', allowed.join(', '));
      const detail = `${request.method} is not allowed here; use ${allowed.join(', ')}.`;
      return sendProblem(reply, buildProblem({ status: 405, code: 'method_not_allowed', detail }, problemInstance(request)));
    }
    const detail = `No route ${request.method} ${path}; see /openapi.json for the API.`;
    return sendProblem(reply, buildProblem({ status: 404, code: 'route_not_found', detail }, problemInstance(request)));
  });
}
