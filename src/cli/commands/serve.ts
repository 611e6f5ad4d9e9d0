import type { Command } from 'commander';
import { port } from '../parse-arguments.js';
import type { CliRuntime } from '../runtime.js';

interface ServeOptions {
  port?: number | undefined;
  host?: string | undefined;
}

export function registerServe(program: Command, runtime: CliRuntime): void {
  program
    .command('serve')
    .description('serve the HTTP API on the configured database until SIGINT/SIGTERM')
    .option('--port <port>', 'port to listen on (default 8080, CTX_PORT)', port)
    .option('--host <host>', 'address to bind (default 127.0.0.1, CTX_HOST)')
    .action(async (options: ServeOptions, command: Command) => {
      const server: Record<string, unknown> = {};
      if (options.port !== undefined) server.port = options.port;
      if (options.host !== undefined) server.host = options.host;
      // the hot tier of event contexts survives restarts: restored at start, checkpointed on shutdown
      const engine = await runtime.openEngine(command, { server, events: { autoCheckpoint: true } });
      try {
        // Loaded on demand: the other commands never pay for Fastify and its plugins.
        const { startServer } = await import('../../server/start-server.js');
        const { host, port: listenPort } = engine.config.server;
        const running = await startServer(engine, { host, port: listenPort });
        const { url } = running;
        runtime
          .output(command)
          .result({ url, database: engine.config.databaseUrl }, () => `Serving ${url} (database ${engine.config.databaseUrl})`);
        await runtime.io.waitForShutdown();
        await running.close();
      } finally {
        await engine.close();
      }
    });
}
