// A server for the resolve_batch benchmark, in its own process (as clients are in production): it opens the bench's
// SQLite database, restores the hot tier from the checkpoint the bench saved (the same event stream), serves the API
// and prints its port. `node bench/events-server.mjs <database file> <checkpoint file>`.
import { createEngine } from '../dist/index.js';
import { startServer } from '../dist/server/index.js';

const [databaseFile, checkpointFile] = process.argv.slice(2);
const engine = await createEngine({ databaseUrl: `sqlite:${databaseFile}`, server: { logLevel: 'silent' } });
const restored = await engine.events.restoreCheckpoint(checkpointFile, { strict: true });
const server = await startServer(engine, { port: 0, rateLimit: { max: 100_000_000, windowMs: 60_000 } });
process.stdout.write(`${JSON.stringify({ port: Number(new URL(server.url).port), entries: restored.entries })}\n`);
process.on('SIGTERM', async () => {
  await server.close();
  await engine.close();
  process.exit(0);
});
