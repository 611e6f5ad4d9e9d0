// A server for the HTTP benchmark, in its own process: `engine` (the real API on a SQLite file) or `bare`
// (a plain Fastify app answering the same JSON, the baseline). Prints the port on stdout.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';

const mode = process.argv[2];
const sample = JSON.parse(process.argv[3] ?? '{}');

async function engineServer() {
  const { createEngine } = await import('../dist/index.js');
  const { createServer } = await import('../dist/server/create-server.js');
  const directory = mkdtempSync(join(tmpdir(), 'ctx-bench-http-'));
  const engine = await createEngine({
    databaseUrl: `sqlite:${join(directory, 'bench.db')}`,
    server: { logLevel: 'silent', rateLimit: { max: 100_000_000, windowMs: 60_000 } },
  });
  await engine.tenants.create({ id: 'bench' });
  for (let index = 0; index < 100; index++) await engine.contexts.put('bench', `doc/k${index}`, sample.value);
  return createServer(engine);
}

function bareServer() {
  const app = Fastify({ logger: false });
  app.get('/bare/*', async () => sample.get);
  app.put('/bare/*', async (request, reply) => {
    reply.code(201);
    return { ...sample.put, key: request.params['*'], value: undefined };
  });
  return app;
}

const app = mode === 'engine' ? await engineServer() : bareServer();
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${app.server.address().port}\n`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
