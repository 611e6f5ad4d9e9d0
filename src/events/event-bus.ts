import type { EngineEventMap, EngineEventName } from '../core/engine-events.js';

export type EventHandler<Name extends EngineEventName> = (payload: EngineEventMap[Name], name: Name) => unknown;
export type AnyEventHandler = <Name extends EngineEventName>(name: Name, payload: EngineEventMap[Name]) => unknown;
export type HandlerErrorListener = (error: unknown, eventName: EngineEventName) => void;

/**
 * The in-process event bus. Handlers are isolated: a handler that throws (or rejects) is reported to the
 * error listeners and never breaks the emit or the other handlers.
 */
export interface EventBus {
  on<Name extends EngineEventName>(name: Name, handler: EventHandler<Name>): () => void;
  onAny(handler: AnyEventHandler): () => void;
  onHandlerError(listener: HandlerErrorListener): () => void;
  emit<Name extends EngineEventName>(name: Name, payload: EngineEventMap[Name]): void;
  /** Number of handlers for a name (for tests and metrics). */
  listenerCount(name: EngineEventName): number;
}

export function createEventBus(): EventBus {
  const handlers = new Map<EngineEventName, Set<EventHandler<EngineEventName>>>();
  const anyHandlers = new Set<AnyEventHandler>();
  const errorListeners = new Set<HandlerErrorListener>();

  function report(error: unknown, name: EngineEventName): void {
    for (const listener of errorListeners) {
      try {
        listener(error, name);
      } catch {
        // an error listener that fails has nobody left to tell
      }
    }
  }

  function invoke(name: EngineEventName, call: () => unknown): void {
    try {
      const result = call();
      if (result instanceof Promise) result.catch((error: unknown) => report(error, name));
    } catch (error) {
      report(error, name);
    }
  }

  return {
    on(name, handler) {
      let set = handlers.get(name);
      if (!set) {
        set = new Set();
        handlers.set(name, set);
      }
      const stored = handler as EventHandler<EngineEventName>;
      set.add(stored);
      return () => set.delete(stored);
    },
    onAny(handler) {
      anyHandlers.add(handler);
      return () => anyHandlers.delete(handler);
    },
    onHandlerError(listener) {
      errorListeners.add(listener);
      return () => errorListeners.delete(listener);
    },
    emit(name, payload) {
      for (const handler of [...(handlers.get(name) ?? [])]) invoke(name, () => handler(payload, name));
      for (const handler of [...anyHandlers]) invoke(name, () => handler(name, payload));
    },
    listenerCount(name) {
      return (handlers.get(name)?.size ?? 0) + anyHandlers.size;
    },
  };
}
