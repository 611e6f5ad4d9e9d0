import { createRequire } from 'node:module';

export interface WsLike {
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'open' | 'close', listener: () => void): void;
  on(event: 'unexpected-response', listener: (request: { destroy(): void }, response: { statusCode: number }) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  send(data: string): void;
  close(): void;
}
type WsConstructor = new (url: string, options?: { headers?: Record<string, string> }) => WsLike;
// `ws` is the WebSocket implementation @fastify/websocket runs on; a real client over a real socket.
const WebSocket = createRequire(import.meta.url)('ws') as WsConstructor;

/** A real WebSocket client: its parsed JSON messages, and the upgrade's status (101, the refusal's, or 0). */
export function connectWebSocket(url: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(url, { headers });
  const messages: Record<string, unknown>[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
  const opened = new Promise<number>((resolve) => {
    socket.on('open', () => resolve(101));
    socket.on('unexpected-response', (request, response) => {
      request.destroy(); // ws leaves a refused upgrade's connection to us
      resolve(response.statusCode);
    });
    socket.on('error', () => resolve(0));
  });
  return { socket, messages, opened, send: (value: unknown) => socket.send(JSON.stringify(value)) };
}
