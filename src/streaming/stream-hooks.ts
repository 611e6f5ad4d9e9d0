import { ContextEngineError } from '../core/errors.js';
import type { Injection, StreamInput } from '../core/injection.js';
import type { InjectionResult } from './injection-interface.js';
import type { Scheduler } from './scheduler.js';

/** What each hook point is given. `before*` hooks may veto or replace it; the others only look. */
export interface HookPayloads {
  beforeInput: StreamInput;
  duringInput: StreamInput;
  afterInput: StreamInput;
  beforeInjection: Injection;
  afterInjection: InjectionResult;
}
export type HookPoint = keyof HookPayloads;
export type BeforeHookPoint = 'beforeInput' | 'beforeInjection';
export type ObserveHookPoint = Exclude<HookPoint, BeforeHookPoint>;

export interface HookContext {
  streamId: string;
  point: HookPoint;
}

/** A `before` hook's answer: nothing (go on unchanged), a veto, or a replacement value. */
export type BeforeHookResult<T> = undefined | { veto: true; reason: string } | { value: T };
export type BeforeHook<T> = (
  value: T,
  context: HookContext,
  // biome-ignore lint/suspicious/noConfusingVoidType: a before hook that only looks may return nothing at all
) => BeforeHookResult<T> | Promise<BeforeHookResult<T> | void> | void;
export type ObserveHook<T> = (value: T, context: HookContext) => unknown;
export type HookFor<P extends HookPoint> = P extends BeforeHookPoint ? BeforeHook<HookPayloads[P]> : ObserveHook<HookPayloads[P]>;

/** The result of the `before` hooks of one point. */
export type BeforeOutcome<T> = { vetoed: false; value: T } | { vetoed: true; reason: string };

/** Told when a hook throws, rejects or times out; the hook is then skipped and the others still run. */
export type HookErrorListener = (error: unknown, context: HookContext) => void;

export interface StreamHooksOptions {
  /** The longest an async hook may take before it is reported and skipped (default 50 ms). */
  timeoutMs?: number;
  scheduler: Scheduler;
  onHookError?: HookErrorListener;
}

/** Raised (and reported) when an async hook outlives its timeout. */
export class HookTimeoutError extends ContextEngineError {
  constructor(point: HookPoint, timeoutMs: number) {
    super('hook_timeout', 'system', `a ${point} hook did not settle within ${timeoutMs} ms`, { details: { point, timeoutMs } });
  }
}

type AnyHook = (value: unknown, context: HookContext) => unknown;

/**
 * Hook points before / during / after a stream's inputs and injections. Registered functions run in order;
 * async ones are bounded by a per-hook timeout; a failing hook is reported and skipped, never fatal
 * (a `before` hook that fails does not veto: failing open keeps the stream flowing). One instance may be
 * shared by many sessions; storage is allocated at the first registration.
 */
export class StreamHooks {
  #hooks: Map<HookPoint, AnyHook[]> | undefined;
  readonly #timeoutMs: number;
  readonly #scheduler: Scheduler;
  readonly #onHookError: HookErrorListener | undefined;

  constructor(options: StreamHooksOptions) {
    this.#timeoutMs = options.timeoutMs ?? 50;
    this.#scheduler = options.scheduler;
    this.#onHookError = options.onHookError;
  }

  /** Registers a hook; the returned function removes it. */
  on<P extends HookPoint>(point: P, hook: HookFor<P>): () => void {
    this.#hooks ??= new Map();
    let list = this.#hooks.get(point);
    if (list === undefined) {
      list = [];
      this.#hooks.set(point, list);
    }
    const stored = hook as AnyHook;
    list.push(stored);
    return () => {
      const index = list.indexOf(stored);
      if (index >= 0) list.splice(index, 1);
    };
  }

  has(point: HookPoint): boolean {
    return (this.#hooks?.get(point)?.length ?? 0) > 0;
  }

  /** Runs the `before` hooks of `point` in order; each sees the value the previous ones left. */
  async runBefore<P extends BeforeHookPoint>(
    point: P,
    value: HookPayloads[P],
    streamId: string,
  ): Promise<BeforeOutcome<HookPayloads[P]>> {
    const list = this.#hooks?.get(point);
    let current = value;
    if (list === undefined) return { vetoed: false, value: current };
    const context: HookContext = { streamId, point };
    for (const hook of [...list]) {
      let result: BeforeHookResult<HookPayloads[P]>;
      try {
        result = (await this.#bounded(hook(current, context), point)) as BeforeHookResult<HookPayloads[P]>;
      } catch (error) {
        this.#report(error, context);
        continue;
      }
      if (result === undefined || result === null) continue;
      if ('veto' in result && result.veto) return { vetoed: true, reason: result.reason };
      if ('value' in result) current = result.value;
    }
    return { vetoed: false, value: current };
  }

  /** Runs the observing hooks of `point` side by side and settles when all have (or timed out). */
  async runObservers<P extends ObserveHookPoint>(point: P, value: HookPayloads[P], streamId: string): Promise<void> {
    const list = this.#hooks?.get(point);
    if (list === undefined || list.length === 0) return;
    const context: HookContext = { streamId, point };
    await Promise.all(
      [...list].map(async (hook) => {
        try {
          await this.#bounded(hook(value, context), point);
        } catch (error) {
          this.#report(error, context);
        }
      }),
    );
  }

  /** A synchronous result passes straight through; a promise races a timer of the scheduler. */
  #bounded(result: unknown, point: HookPoint): unknown {
    if (!(result instanceof Promise)) return result;
    return new Promise((resolve, reject) => {
      const timer = this.#scheduler.setTimer(() => reject(new HookTimeoutError(point, this.#timeoutMs)), this.#timeoutMs);
      result.then(
        (value: unknown) => {
          this.#scheduler.clearTimer(timer);
          resolve(value);
        },
        (error: unknown) => {
          this.#scheduler.clearTimer(timer);
          reject(error);
        },
      );
    });
  }

  #report(error: unknown, context: HookContext): void {
    try {
      this.#onHookError?.(error, context);
    } catch {
      // an error listener that fails has nobody left to tell
    }
  }
}
