import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { Engine } from '../engine.js';
import { createKeyCountCache, type KeyCountCache } from './key-count-cache.js';
import { createKeyVerifier } from './key-verifier.js';
import { isLoopbackHost } from './loopback.js';
import { registerAuth } from './plugins/auth.js';
import { registerEventScope } from './plugins/event-scope.js';
import { registerHostGuard } from './plugins/host-guard.js';
import { registerIdempotency } from './plugins/idempotency.js';
import { createServerMetrics, registerHttpMetrics } from './plugins/metrics.js';
import { registerOpenApi } from './plugins/openapi.js';
import { registerProblemDetails } from './plugins/problem-details.js';
import { registerRateLimit } from './plugins/rate-limit.js';
import { lazyChildLoggerFactory, QuietSuccessLogController } from './plugins/request-log.js';
import { registerUpgradeCleanup, registerWebSocketRoutes } from './plugins/websockets.js';
import { buildProblem, problemFromError, sendProblem } from './problem.js';
import './principal.js';
import { assemblyRoutes } from './routes/assemble.js';
import { contextGatewayRoutes } from './routes/context-gateway.js';
import { contextSubscribeRoutes } from './routes/context-subscribe.js';
import { contextReadRoutes } from './routes/contexts-read.js';
import { contextWriteRoutes } from './routes/contexts-write.js';
import { eventContinuityRoutes } from './routes/event-continuity.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { injectionRoutes } from './routes/injection.js';
import { injectionMetricsRoutes } from './routes/injection-metrics.js';
import { injectionStreamRoutes } from './routes/injection-streams.js';
import { journeyRoutes } from './routes/journeys.js';
import { knowledgeRoutes } from './routes/knowledge.js';
import { metricsRoutes } from './routes/metrics.js';
import type { RouteDeps } from './routes/route-types.js';
import { runRoutes } from './routes/runs.js';
import { sessionRoutes } from './routes/sessions.js';
import { statusRoutes } from './routes/status.js';
import { tenantRoutes } from './routes/tenants.js';
import { updateRoutes } from './routes/updates.js';
import { resolveServerOptions, type ServerOptions } from './server-options.js';
import { timeEngine } from './timed-engine.js';

export type { ServerOptions } from './server-options.js';

/** Never logged: credentials and anything that could carry a body. */
const REDACTED = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]', 'req.body', 'res.body'];

function packageVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    return (JSON.parse(text) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function isEmpty(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false;
  for (const _ in data) return false;
  return true;
}

/**
 * The zod validator compiler, except that an empty query string (most GETs) is checked once per route: its
 * answer cannot change, so later requests get a copy of it instead of a zod parse.
 */
const withEmptyQueryShortcut: typeof validatorCompiler = (route) => {
  const validate = validatorCompiler(route);
  if (route.httpPart !== 'querystring') return validate;
  let emptyAnswer: ReturnType<typeof validate> | undefined;
  return (data) => {
    if (!isEmpty(data)) return validate(data);
    emptyAnswer ??= validate(data);
    const answer = emptyAnswer as { value?: unknown; error?: unknown };
    if (answer.error !== undefined || typeof answer.value !== 'object' || answer.value === null) return validate(data);
    return { value: { ...answer.value } };
  };
};

const keyCaches = new WeakMap<FastifyInstance, KeyCountCache>();

/** The "do API keys exist" cache of a server (tests invalidate it after creating keys in-process). */
export function keyCountCacheOf(app: FastifyInstance): KeyCountCache | undefined {
  return keyCaches.get(app);
}

/**
 * The HTTP API over an engine, ready to `inject()` or `listen()` (not listening yet). Hooks, in order:
 * open-mode Host/Origin guard → authentication and authorization (onRequest) → rate limit (route onRequest)
 * → body parsing and zod validation → idempotency (preHandler) → handler; every error becomes problem+json.
 */
export async function createServer(engine: Engine, options: ServerOptions = {}): Promise<FastifyInstance> {
  const settings = resolveServerOptions(engine.config, options);
  const app = Fastify({
    logger: {
      level: settings.logLevel,
      redact: { paths: REDACTED, censor: '[redacted]' },
      ...(options.logStream === undefined ? {} : { stream: options.logStream }),
    },
    bodyLimit: settings.bodyLimitBytes,
    genReqId: () => randomUUID(),
    // Successful requests log nothing at info (failures still do), and a request's logger is made only when used.
    logController: new QuietSuccessLogController(),
    childLoggerFactory: lazyChildLoggerFactory,
    routerOptions: { maxParamLength: 2048 },
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Errors raised before routing (a malformed URL) never reach the error handler.
    frameworkErrors: (error, request, reply) => {
      sendProblem(reply, buildProblem(problemFromError(error), `urn:uuid:${request.id}`));
    },
  });
  app.setValidatorCompiler(withEmptyQueryShortcut);
  // Response schemas document the API; our handlers build the bodies, so serialise without re-validating.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  app.decorateRequest('routeConfig', null);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  const keyCount = createKeyCountCache(engine.apiKeys, settings.keyCountTtlMs);
  keyCaches.set(app, keyCount);
  const boundToLoopback = isLoopbackHost(settings.host);
  const metrics = createServerMetrics(engine);

  registerProblemDetails(app);
  registerHttpMetrics(app, metrics);
  registerHostGuard(app, { boundToLoopback, keyCount, allowedHosts: settings.allowedHosts });
  registerEventScope(app);
  registerAuth(app, { engine, verifier: createKeyVerifier(engine.apiKeys, settings.keyCountTtlMs), boundToLoopback, keyCount });
  registerIdempotency(app, { store: engine.store.idempotency });
  registerRateLimit(app, { ...settings.rateLimit, sharedCache: engine.rateLimitCache });
  await registerOpenApi(app, packageVersion());
  registerUpgradeCleanup(app);

  const deps: RouteDeps = { engine: timeEngine(engine, metrics.operationDuration) };
  for (const routes of [tenantRoutes, contextReadRoutes, contextWriteRoutes, updateRoutes, statusRoutes, healthRoutes]) {
    await app.register(routes, deps);
  }
  // Event contexts (seed 004): emit, the context gateway under its three prefixes, continuity.
  for (const routes of [eventRoutes, contextGatewayRoutes, eventContinuityRoutes]) {
    await app.register(routes, deps);
  }
  await app.register(knowledgeRoutes, deps);
  for (const routes of [sessionRoutes, journeyRoutes, assemblyRoutes(metrics.registry)]) await app.register(routes, deps);
  await app.register(runRoutes, deps);
  // Injection (seed 003): rules, the request/response stream path, figures.
  for (const routes of [injectionRoutes, injectionMetricsRoutes(metrics.registry)]) await app.register(routes, deps);
  // The WebSocket (and SSE) streams: event subscriptions and injection streams, in a scope of their own.
  await registerWebSocketRoutes(app, async (scope) => {
    for (const routes of [contextSubscribeRoutes, injectionStreamRoutes]) await scope.register(routes, deps);
  });
  await app.register(metricsRoutes(metrics.registry), deps);
  return app;
}
