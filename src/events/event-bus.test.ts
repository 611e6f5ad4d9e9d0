import { describe, expect, it } from 'vitest';
import type { Tenant } from '../core/tenant.js';
import { createEventBus } from './event-bus.js';

const tenant: Tenant = { id: 't', name: 't', facets: {}, policy: {}, createdAt: '2026-01-01T00:00:00.000Z' };

describe('event bus', () => {
  it('delivers typed payloads to named and catch-all handlers, and unsubscribes', () => {
    const bus = createEventBus();
    const seen: string[] = [];
    const off = bus.on('tenant.created', ({ tenant: created }) => {
      seen.push(`named:${created.id}`);
    });
    bus.onAny((name) => {
      seen.push(`any:${name}`);
    });
    bus.emit('tenant.created', { tenant });
    off();
    bus.emit('tenant.created', { tenant });
    expect(seen).toEqual(['named:t', 'any:tenant.created', 'any:tenant.created']);
    expect(bus.listenerCount('tenant.created')).toBe(1);
  });

  it('isolates handlers: a throwing or rejecting handler breaks neither the emit nor the others', async () => {
    const bus = createEventBus();
    const errors: unknown[] = [];
    bus.onHandlerError((error, name) => errors.push([name, (error as Error).message]));
    const reached: number[] = [];
    bus.on('tenant.created', () => {
      throw new Error('sync failure');
    });
    bus.on('tenant.created', async () => {
      throw new Error('async failure');
    });
    bus.on('tenant.created', () => {
      reached.push(3);
    });
    expect(() => bus.emit('tenant.created', { tenant })).not.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
    expect(reached).toEqual([3]);
    expect(errors).toEqual([
      ['tenant.created', 'sync failure'],
      ['tenant.created', 'async failure'],
    ]);
  });

  it('lets a handler unsubscribe itself during an emit without skipping others', () => {
    const bus = createEventBus();
    const reached: string[] = [];
    const off = bus.on('tenant.created', () => {
      reached.push('first');
      off();
    });
    bus.on('tenant.created', () => {
      reached.push('second');
    });
    bus.emit('tenant.created', { tenant });
    bus.emit('tenant.created', { tenant });
    expect(reached).toEqual(['first', 'second', 'second']);
  });
});
