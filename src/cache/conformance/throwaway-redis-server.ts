import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/** A redis-server of our own on a free port, for outage tests: never the shared one. */
export interface ThrowawayRedisServer {
  readonly port: number;
  readonly url: string;
  start(): Promise<void>;
  /** SIGKILL: an abrupt outage, as a crash or a network cut. */
  kill(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const finish = (answer: boolean): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(500, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('data', (data) => finish(data.toString().startsWith('+PONG')));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

export async function createThrowawayRedisServer(binary = 'redis-server'): Promise<ThrowawayRedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      if (child !== undefined) throw new Error('The throwaway redis-server is already running.');
      const started = spawn(binary, args, { stdio: 'ignore' });
      let failure = '';
      child = started;
      started.once('error', (error) => {
        failure = `: ${error.message}`;
      });
      started.once('exit', () => {
        if (child === started) child = undefined;
      });
      const deadline = Date.now() + 5_000;
      while (!(await answersPing(port))) {
        if (child !== started || failure !== '' || Date.now() > deadline) {
          child = undefined;
          started.kill('SIGKILL');
          throw new Error(`${binary} did not start on port ${port}${failure}.`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async kill() {
      const running = child;
      if (running === undefined) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
      child = undefined;
    },
  };
}
