import { createRequire } from 'node:module';
import type { RealtimeClientEvent } from 'openai/resources/realtime/realtime';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationMessage } from '../../src/core/injection.js';
import { renderForProvider } from '../../src/providers/index.js';

// The Realtime API takes client events as JSON text frames over a WebSocket. The openai package's own socket
// (openai/realtime/ws) always dials wss://, so this round trip sends the frames as it does (JSON.stringify of each
// event, in order) with `ws` — the library @fastify/websocket runs on — to a local server that records them.

interface Socket {
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'open' | 'close', listener: () => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  send(data: string): void;
  close(): void;
}
interface Server {
  on(event: 'connection', listener: (socket: Socket, request: { url?: string; headers: Record<string, unknown> }) => void): void;
  on(event: 'listening', listener: () => void): void;
  address(): { port: number };
  close(callback: () => void): void;
}
const ws = createRequire(import.meta.url)('ws') as {
  WebSocket: new (url: string, options?: { headers?: Record<string, string> }) => Socket;
  WebSocketServer: new (options: { host: string; port: number }) => Server;
};

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => server?.close(resolve) ?? resolve());
});

describe('OpenAI Realtime round trip', () => {
  it('sends session.update then one conversation.item.create per message, frames as rendered', async () => {
    const messages: ConversationMessage[] = [
      { role: 'system', content: 'You are a voice agent.' },
      { role: 'user', content: 'Hello?' },
      { role: 'assistant', content: 'Hi.' },
    ];
    const { request } = renderForProvider('openai-realtime', {
      packet: { information: { plan: 'Pro' }, metadata: { priority: 50, criticality: 'important', source: 'api' } },
      messages,
    });
    const events: RealtimeClientEvent[] = request; // the frames are client events by the official types

    const listening = new ws.WebSocketServer({ host: '127.0.0.1', port: 0 });
    server = listening;
    const frames: unknown[] = [];
    const received = new Promise<{ url: string | undefined }>((resolve) => {
      listening.on('connection', (socket, upgrade) => {
        socket.on('message', (data) => {
          frames.push(JSON.parse(String(data)));
          if (frames.length === events.length) resolve({ url: upgrade.url });
        });
      });
    });
    await new Promise<void>((resolve) => listening.on('listening', resolve));

    const client = new ws.WebSocket(`ws://127.0.0.1:${listening.address().port}/v1/realtime?model=gpt-realtime`, {
      headers: { Authorization: 'Bearer test' },
    });
    await new Promise<void>((resolve, reject) => {
      client.on('open', resolve);
      client.on('error', reject);
    });
    for (const event of events) client.send(JSON.stringify(event));
    const { url } = await received;
    client.close();

    expect(url).toBe('/v1/realtime?model=gpt-realtime');
    expect(frames).toEqual(events);
    expect(frames[0]).toMatchObject({
      type: 'session.update',
      session: {
        type: 'realtime',
        instructions: expect.stringMatching(/^You are a voice agent\.\n\n\[Context[\s\S]*<information source="api"/),
      },
    });
    expect(frames.slice(1)).toEqual([
      {
        type: 'conversation.item.create',
        item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello?' }] },
      },
      {
        type: 'conversation.item.create',
        item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hi.' }] },
      },
    ]);
  });
});
