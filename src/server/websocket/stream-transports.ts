import type { ServerResponse } from 'node:http';
import type { InjectionMessage } from '../../injection/injection-message.js';
import type { StreamTransport } from '../../injection/stream-transport.js';

/** Bytes a consumer may leave unread before a send fails as "too slow" (the deliverer then retries or requeues). */
export const MAX_UNREAD_BYTES = 1024 * 1024;

/** What a transport needs of a `ws` WebSocket. */
export interface StreamSocket {
  readonly readyState: number;
  readonly OPEN: number;
  readonly bufferedAmount: number;
  send(data: string, callback: (error?: Error) => void): void;
}

/** A stream consumer on a WebSocket: `{ type: "injection", … }` frames. */
export function webSocketTransport(socket: StreamSocket): StreamTransport {
  return {
    kind: 'websocket',
    send(message: InjectionMessage) {
      return new Promise<void>((resolve, reject) => {
        if (socket.readyState !== socket.OPEN) return reject(new Error('consumer disconnected'));
        if (socket.bufferedAmount > MAX_UNREAD_BYTES) return reject(new Error('consumer too slow'));
        socket.send(JSON.stringify(message), (error) => (error ? reject(error) : resolve()));
      });
    },
  };
}

/** A one-way stream consumer over Server-Sent Events: `event: injection` with the message as data. */
export function serverSentEventsTransport(response: ServerResponse): StreamTransport {
  return {
    kind: 'sse',
    send(message: InjectionMessage) {
      return new Promise<void>((resolve, reject) => {
        if (response.destroyed || response.writableEnded) return reject(new Error('consumer disconnected'));
        if (response.writableLength > MAX_UNREAD_BYTES) return reject(new Error('consumer too slow'));
        response.write(`id: ${message.id}\nevent: injection\ndata: ${JSON.stringify(message)}\n\n`, (error) =>
          error ? reject(error) : resolve(),
        );
      });
    },
  };
}
