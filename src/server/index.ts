export { createServer, keyCountCacheOf, type ServerOptions } from './create-server.js';
export { isLoopbackHost } from './loopback.js';
export { assertBindAllowed, type RunningServer, type StartServerOptions, startServer } from './start-server.js';
