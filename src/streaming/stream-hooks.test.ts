import { describe, expect, it } from 'vitest';
import type { StreamInput } from '../core/injection.js';
import { ManualScheduler } from './manual-scheduler.js';
import { type HookContext, HookTimeoutError, StreamHooks } from './stream-hooks.js';

function setup(timeoutMs = 50) {
  const scheduler = new ManualScheduler();
  const errors: Array<{ error: unknown; context: HookContext }> = [];
  const hooks = new StreamHooks({ scheduler, timeoutMs, onHookError: (error, context) => errors.push({ error, context }) });
  return { scheduler, errors, hooks };
}

const message: StreamInput = { type: 'message', role: 'user', content: 'hello' };

describe('StreamHooks', () => {
  it('passes the value through unchanged when no hook is registered', async () => {
    const { hooks } = setup();
    expect(hooks.has('beforeInput')).toBe(false);
    expect(await hooks.runBefore('beforeInput', message, 's1')).toEqual({ vetoed: false, value: message });
  });

  it('lets a before hook modify the value for the next hook, and another veto it', async () => {
    const { hooks } = setup();
    const seen: string[] = [];
    hooks.on('beforeInput', (input) => {
      if (input.type !== 'message') return undefined;
      return { value: { ...input, content: input.content.toUpperCase() } };
    });
    hooks.on('beforeInput', (input) => {
      if (input.type === 'message') seen.push(input.content);
    });
    expect(await hooks.runBefore('beforeInput', message, 's1')).toEqual({
      vetoed: false,
      value: { type: 'message', role: 'user', content: 'HELLO' },
    });
    hooks.on('beforeInput', async () => ({ veto: true, reason: 'blocked' }));
    const afterVeto: string[] = [];
    hooks.on('beforeInput', () => {
      afterVeto.push('ran');
    });
    expect(await hooks.runBefore('beforeInput', message, 's1')).toEqual({ vetoed: true, reason: 'blocked' });
    expect(seen).toEqual(['HELLO', 'HELLO']);
    expect(afterVeto).toEqual([]);
  });

  it('reports a hook that outlives its timeout and goes on without it (fails open)', async () => {
    const { hooks, scheduler, errors } = setup(30);
    hooks.on('beforeInjection', () => new Promise(() => undefined));
    hooks.on('beforeInput', () => new Promise(() => undefined));
    const pending = hooks.runBefore('beforeInput', message, 's1');
    expect(scheduler.pendingTimers).toBe(1);
    scheduler.advance(29);
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    scheduler.advance(1);
    expect(await pending).toEqual({ vetoed: false, value: message });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.error).toBeInstanceOf(HookTimeoutError);
    expect(errors[0]?.context).toEqual({ streamId: 's1', point: 'beforeInput' });
  });

  it('clears the timer of an async hook that settles in time', async () => {
    const { hooks, scheduler, errors } = setup();
    hooks.on('beforeInput', async () => ({ veto: true, reason: 'async veto' }));
    expect(await hooks.runBefore('beforeInput', message, 's1')).toEqual({ vetoed: true, reason: 'async veto' });
    expect(scheduler.pendingTimers).toBe(0);
    expect(errors).toEqual([]);
  });

  it('isolates throwing and rejecting hooks: reported, skipped, the others still run', async () => {
    const { hooks, errors } = setup();
    const calls: string[] = [];
    hooks.on('afterInput', () => {
      throw new Error('sync boom');
    });
    hooks.on('afterInput', async () => {
      throw new Error('async boom');
    });
    hooks.on('afterInput', (input) => {
      calls.push(input.type);
    });
    await hooks.runObservers('afterInput', message, 's1');
    expect(calls).toEqual(['message']);
    expect(errors.map((entry) => (entry.error as Error).message)).toEqual(['sync boom', 'async boom']);
    hooks.on('beforeInput', () => {
      throw new Error('before boom');
    });
    expect(await hooks.runBefore('beforeInput', message, 's1')).toEqual({ vetoed: false, value: message });
  });

  it('times out observing hooks too, and unregisters a hook', async () => {
    const { hooks, scheduler, errors } = setup(10);
    const calls: string[] = [];
    hooks.on('duringInput', () => new Promise(() => undefined));
    const remove = hooks.on('duringInput', () => {
      calls.push('during');
    });
    const running = hooks.runObservers('duringInput', message, 's1');
    scheduler.advance(10);
    await running;
    expect(errors.map((entry) => entry.error instanceof HookTimeoutError)).toEqual([true]);
    remove();
    const again = hooks.runObservers('duringInput', message, 's1');
    scheduler.advance(10);
    await again;
    expect(calls).toEqual(['during']);
  });
});
