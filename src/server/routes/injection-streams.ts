import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ForbiddenError } from '../../core/errors.js';
import type { StreamInput } from '../../core/injection.js';
import type { InjectionStreamOptions } from '../../injection/injection-stream.js';
import { streamInputSchema } from '../../injection/stream-input-schema.js';
import { streamParamsSchema, streamQuerySchema } from '../schemas/injection-schemas.js';
import { isStreamOriginAllowed } from '../stream-origin.js';
import { serverSentEventsTransport, webSocketTransport } from '../websocket/stream-transports.js';
import type { RoutePlugin } from './route-types.js';

const tags = ['injection'];
/** A comment line every this often keeps proxies from closing an idle SSE response. */
const SSE_HEARTBEAT_MS = 15_000;

type StreamQuery = z.infer<typeof streamQuerySchema>;

function streamOptions(query: StreamQuery): InjectionStreamOptions {
  return {
    format: query.format,
    mode: query.mode,
    ackRequired: query.ack === '1' || query.ack === 'true',
    priorSessions: query.priorSessions,
  };
}

/**
 * Live streams (seed 003): WebSocket `…/streams/:sessionId` (client inputs in, injections out) and SSE
 * `GET …/streams/:sessionId/events` (injections out; inputs through `POST …/events`). The Origin is checked before
 * the upgrade; authentication and the tenant check are those of every tenant route.
 */
export const injectionStreamRoutes: RoutePlugin = async (app, { engine }) => {
  const allowedOrigins = engine.config.server.allowedOrigins;
  const checkOrigin = async (request: FastifyRequest) => {
    if (!isStreamOriginAllowed(request.headers.origin, request.headers.host, allowedOrigins))
      throw new ForbiddenError('This origin may not open streams; add it to server.allowedOrigins.', {
        code: 'origin_not_allowed',
      });
  };

  app.get(
    '/v1/tenants/:tenant/streams/:sessionId',
    {
      websocket: true,
      config: { access: 'write' },
      preValidation: checkOrigin,
      schema: {
        tags,
        summary:
          'WebSocket: send { type: "message" | "turn-start" | "turn-end" | "silence" | "ack" | … }, receive { type: "injection", … }',
        params: streamParamsSchema,
        querystring: streamQuerySchema,
      },
    },
    async (socket, request) => {
      const { tenant, sessionId } = request.params;
      const inbox: string[] = [];
      // Frames that arrive while the stream opens are kept, in order.
      socket.on('message', (data: Buffer) => inbox.push(String(data)));
      let stream: Awaited<ReturnType<typeof engine.injection.stream>>;
      try {
        stream = await engine.injection.stream(tenant, sessionId, streamOptions(request.query));
      } catch (error) {
        socket.send(
          JSON.stringify({
            type: 'error',
            code: (error as { code?: string }).code ?? 'internal',
            detail: String((error as Error).message),
          }),
        );
        socket.close(1011, 'stream unavailable');
        return;
      }
      const detach = stream.attach(webSocketTransport(socket));
      const handle = (raw: string) => {
        let input: StreamInput;
        try {
          const parsed = streamInputSchema.safeParse(JSON.parse(raw));
          if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'invalid stream event');
          input = parsed.data;
        } catch (error) {
          socket.send(JSON.stringify({ type: 'error', code: 'invalid_stream_event', detail: (error as Error).message }));
          return;
        }
        stream.input(input).catch((error: unknown) => request.log.warn({ err: error }, 'stream input failed'));
      };
      socket.removeAllListeners('message');
      socket.on('message', (data: Buffer) => handle(String(data)));
      socket.on('close', detach);
      socket.on('error', detach);
      socket.send(JSON.stringify({ type: 'ready', sessionId }));
      for (const raw of inbox.splice(0)) handle(raw);
    },
  );

  app.get(
    '/v1/tenants/:tenant/streams/:sessionId/events',
    {
      config: { access: 'read' },
      preValidation: checkOrigin,
      schema: {
        tags,
        summary: 'Server-Sent Events: the injections of the stream as they become due (event: injection)',
        params: streamParamsSchema,
        querystring: streamQuerySchema,
      },
    },
    async (request, reply) => {
      const { tenant, sessionId } = request.params;
      const stream = await engine.injection.stream(tenant, sessionId, streamOptions(request.query));
      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      response.write(`event: ready\ndata: ${JSON.stringify({ sessionId })}\n\n`);
      const detach = stream.attach(serverSentEventsTransport(response));
      const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
      heartbeat.unref();
      request.raw.on('close', () => {
        clearInterval(heartbeat);
        detach();
      });
    },
  );
};
