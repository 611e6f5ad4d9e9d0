import type { PubSubPort } from '../cache/pubsub-port.js';
import type { EngineConfig } from '../config/engine-config.js';
import type { EngineEventName } from '../core/engine-events.js';
import type { Store } from '../store/store.js';
import { cameFromAnotherInstance } from './bus-fanout.js';
import { engineEventData, engineEventTenant } from './engine-event-data.js';
import type { EventBus } from './event-bus.js';
import { createEventService, type EventService } from './event-service.js';

/** `events.checkpointPath`, else `<database file>.events-checkpoint` for SQLite; none for memory: and PostgreSQL. */
export function checkpointPathOf(config: EngineConfig): string | undefined {
  if (config.events.checkpointPath !== undefined) return config.events.checkpointPath;
  const url = config.databaseUrl;
  if (!url.startsWith('sqlite:')) return undefined;
  const path = url.slice('sqlite:'.length);
  return path === '' || path === ':memory:' ? undefined : `${path}.events-checkpoint`;
}

export interface EngineEventsOptions {
  config: EngineConfig;
  store: Store;
  tenants: { require(tenantId: string): Promise<void> };
  bus: EventBus;
  pubsub: PubSubPort;
  instanceId: string;
}

/**
 * `engine.events`, wired: every engine bus event (`update.approved`, `context.updated`, …) is also emitted through the
 * router — synchronously inside the bus emit, so in the async scope of the request or handler that caused it, and
 * so traceable by its correlation id. Events another instance fanned out are not recorded again. With Redis, the
 * event stream crosses instances.
 */
export async function createEngineEvents(options: EngineEventsOptions): Promise<EventService> {
  const { config, store, tenants, bus, pubsub, instanceId } = options;
  const events = createEventService({ store, requireTenant: (tenantId) => tenants.require(tenantId), config: config.events });
  const stopRouting = config.events.recordEngineEvents
    ? bus.onAny((name: EngineEventName, payload) => {
        if (cameFromAnotherInstance(payload)) return;
        const tenantId = engineEventTenant(payload);
        if (tenantId === undefined) return;
        // buffered: the engine's own write is already durable; its event follows within the flush window
        events.emit(name, engineEventData(payload), { tenantId }).catch(() => undefined);
      })
    : () => {};
  if (config.redisUrl !== undefined) await events.connectInstances(pubsub, instanceId);
  const checkpointPath = config.events.autoCheckpoint ? checkpointPathOf(config) : undefined;
  if (checkpointPath !== undefined) {
    const restored = await events.restoreCheckpoint(checkpointPath);
    for (const problem of restored.problems) process.emitWarning(problem, { code: 'CTX_EVENT_CHECKPOINT' });
  }
  return {
    ...events,
    async close() {
      stopRouting();
      try {
        if (checkpointPath !== undefined) await events.saveCheckpoint(checkpointPath);
      } finally {
        await events.close();
      }
    },
  };
}
