import { ValidationError } from '../core/errors.js';
import type { EventContext } from '../core/event-context.js';
import type { JsonValue } from '../core/json.js';
import type { ContextGateway } from './context-gateway.js';
import type { EmitContextInput } from './emit-input.js';
import { assertEventName } from './emit-input.js';
import type { EmittedEvent, EventRouter } from './event-router.js';

export interface SnapshotResult {
  ref: string;
  eventId: string;
  context: EventContext;
}

export interface RecoveredState {
  ref: string;
  kind: string;
  state: JsonValue | null;
  context: EventContext;
  /** The `<kind>:recovered` event emitted as the snapshot's child (unless `reemit: false`). */
  recovered?: { ref: string; eventId: string } | undefined;
}

const SNAPSHOT_SUFFIX = ':state';

/**
 * Orchestration state snapshots (seed 004): `snapshot(kind, state)` stores the state as an event `<kind>:state` (data =
 * the state), durably; `recover(ref)` reads it back and re-emits it as `<kind>:recovered`, a child of the snapshot.
 */
export class Snapshots {
  readonly #router: EventRouter;
  readonly #gateway: ContextGateway;

  constructor(router: EventRouter, gateway: ContextGateway) {
    this.#router = router;
    this.#gateway = gateway;
  }

  async snapshot(kind: string, state: unknown, context: EmitContextInput = {}): Promise<SnapshotResult> {
    const name = assertEventName(`${kind}${SNAPSHOT_SUFFIX}`);
    const emitted: EmittedEvent = await this.#router.emit(
      name,
      state,
      { ...context, custom: { ...context.custom, snapshot: kind } },
      { durability: 'acknowledged' },
    );
    return { ref: emitted.ref, eventId: emitted.eventId, context: emitted.context };
  }

  async recover(tenantId: string, ref: string, options: { reemit?: boolean } = {}): Promise<RecoveredState> {
    // the hot tier keeps contexts only: the state (the data) comes from the cold tier
    const record = await this.#gateway.findStored(tenantId, ref);
    const kind = record?.context.custom.snapshot;
    if (record === undefined || typeof kind !== 'string' || !record.event.endsWith(SNAPSHOT_SUFFIX)) {
      throw new ValidationError(`${ref} is not a state snapshot of tenant "${tenantId}".`, {
        code: 'not_a_snapshot',
        details: { ref },
      });
    }
    const result: RecoveredState = { ref, kind, state: record.data, context: record.context };
    if (options.reemit === false) return result;
    const recovered = await this.#router.emit(
      `${kind}:recovered`,
      record.data,
      { tenantId, parent: record.context, custom: { snapshot: kind, recoveredFrom: ref } },
      { durability: 'acknowledged' },
    );
    return { ...result, recovered: { ref: recovered.ref, eventId: recovered.eventId } };
  }
}
