// A server for the injection latency benchmark, in its own process. `engine`: the real API on `memory:` with one
// tenant whose rule injects at the turn end after every user message (dedup off, so each turn's packet goes out).
// `bare`: a plain `ws` server that answers each turn end with an injection frame at once (the noise floor of the
// machine and the socket). Prints the port on stdout.
import { createRequire } from 'node:module';

const mode = process.argv[2] ?? 'engine';

async function engineServer() {
  const { createEngine } = await import('../dist/index.js');
  const { createServer } = await import('../dist/server/index.js');
  const engine = await createEngine({
    databaseUrl: 'memory:',
    server: { logLevel: 'silent', rateLimit: { max: 100_000_000, windowMs: 60_000 } },
    injection: { dedupWindowMs: 0 },
  });
  await engine.tenants.create({ id: 'bench' });
  await engine.injection.putRules('bench', {
    rules: [
      {
        id: 'every-message',
        when: { type: 'every', messages: 1, role: 'user' },
        inject: {
          packet: { strategy: { tone: 'supportive' }, attention: { focus: 'the launch plan' } },
          criticality: 'important',
        },
        at: 'turn-end',
      },
    ],
  });
  const app = await createServer(engine);
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.on('SIGTERM', () => app.close().then(() => engine.close().then(() => process.exit(0))));
  return app.server.address().port;
}

async function bareServer() {
  const { WebSocketServer } = createRequire(import.meta.url)('ws');
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  const packet = { strategy: { tone: 'supportive' }, attention: { focus: 'the launch plan' } };
  server.on('connection', (socket) => {
    socket.send(JSON.stringify({ type: 'ready' }));
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'turn-end') socket.send(JSON.stringify({ type: 'injection', packet }));
    });
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  return server.address().port;
}

const port = mode === 'bare' ? await bareServer() : await engineServer();
process.stdout.write(`${port}\n`);
