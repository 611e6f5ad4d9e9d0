import { type FastifyBaseLogger, type FastifyReply, type FastifyRequest, LogController } from 'fastify';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildOptions = NonNullable<Parameters<FastifyBaseLogger['child']>[1]>;
type LevelCheck = { isLevelEnabled?: (level: string) => boolean };

/**
 * Per-request logging that costs nothing for a successful request: Fastify's "incoming request" line is dropped,
 * "request completed" is logged at `debug` for success and at `info`/`error` (as before) for 4xx/5xx and errors.
 * Every other Fastify log (stream errors, serializer failures, 503 while closing) is unchanged.
 */
export class QuietSuccessLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error || reply.statusCode >= 400) {
      super.requestCompleted(error, request, reply);
      return;
    }
    if (this.isLogDisabled(request) || !isEnabled(reply.log, 'debug')) return;
    reply.log.debug({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

function isEnabled(logger: FastifyBaseLogger, level: Level): boolean {
  return (logger as FastifyBaseLogger & LevelCheck).isLevelEnabled?.(level) ?? true;
}

/**
 * A request's logger, made (a pino child with the request id) only when something is logged at an enabled level:
 * most requests log nothing, and a pino child per request is a measurable share of a fast route.
 */
class LazyChildLogger {
  readonly #parent: FastifyBaseLogger;
  readonly #bindings: Bindings;
  readonly #options: ChildOptions;
  #child: FastifyBaseLogger | undefined;

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  #real(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options);
    return this.#child;
  }

  #log(level: Level, args: unknown[]): void {
    // A route's own log level (options.level) may differ from the parent's: then ask the child itself.
    if (this.#child === undefined && this.#options.level === undefined && !isEnabled(this.#parent, level)) return;
    const real = this.#real();
    (real[level] as (...values: unknown[]) => void).apply(real, args);
  }

  get level(): string {
    return this.#child?.level ?? this.#options.level ?? this.#parent.level;
  }

  set level(level: string) {
    this.#real().level = level;
  }

  isLevelEnabled(level: Level): boolean {
    return this.#child === undefined && this.#options.level === undefined
      ? isEnabled(this.#parent, level)
      : isEnabled(this.#real(), level);
  }

  trace(...args: unknown[]): void {
    this.#log('trace', args);
  }
  debug(...args: unknown[]): void {
    this.#log('debug', args);
  }
  info(...args: unknown[]): void {
    this.#log('info', args);
  }
  warn(...args: unknown[]): void {
    this.#log('warn', args);
  }
  error(...args: unknown[]): void {
    this.#log('error', args);
  }
  fatal(...args: unknown[]): void {
    this.#log('fatal', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: the request's logger, made lazily. */
export function lazyChildLoggerFactory(logger: FastifyBaseLogger, bindings: Bindings, options: ChildOptions): FastifyBaseLogger {
  return new LazyChildLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}
