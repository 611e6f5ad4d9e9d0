import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine.js';

describe('engine events through the router', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  async function updatesRecorded(recordEngineEvents: boolean | undefined): Promise<string[]> {
    engine = await createEngine({
      databaseUrl: 'memory:',
      ...(recordEngineEvents === undefined ? {} : { events: { recordEngineEvents } }),
    });
    await engine.tenants.create({ id: 'acme' });
    await engine.contexts.put('acme', 'product/overview', { name: 'Acme' });
    await engine.events.flush();
    const page = await engine.events.query('acme', { eventName: 'context.updated' });
    return page.items.map((record) => record.event);
  }

  it('records every engine event as an event context by default', async () => {
    expect(await updatesRecorded(undefined)).toEqual(['context.updated']);
  });

  it('records none when events.recordEngineEvents is false', async () => {
    expect(await updatesRecorded(false)).toEqual([]);
  });
});
