import type { Histogram } from 'prom-client';
import type { Engine } from '../engine.js';

function timed<T extends object>(service: string, target: T, histogram: Histogram<'operation' | 'outcome'>): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const member = Reflect.get(object, property, receiver) as unknown;
      if (typeof member !== 'function') return member;
      const operation = `${service}.${String(property)}`;
      return (...args: unknown[]) => {
        const end = histogram.startTimer({ operation });
        let result: unknown;
        try {
          result = (member as (...a: unknown[]) => unknown).apply(object, args);
        } catch (error) {
          end({ outcome: 'error' });
          throw error;
        }
        if (result instanceof Promise) {
          return result.then(
            (value) => {
              end({ outcome: 'ok' });
              return value;
            },
            (error: unknown) => {
              end({ outcome: 'error' });
              throw error;
            },
          );
        }
        end({ outcome: 'ok' });
        return result;
      };
    },
  });
}

/**
 * The engine the routes use: the same services, each call timed into `histogram` by operation
 * (`contexts.get`, `updates.approve`, …) and outcome. This measures store work as the API sees it
 * (validation + store round trips), without touching the library.
 */
export function timeEngine(engine: Engine, histogram: Histogram<'operation' | 'outcome'>): Engine {
  return {
    ...engine,
    close: () => engine.close(),
    tenants: timed('tenants', engine.tenants, histogram),
    contexts: timed('contexts', engine.contexts, histogram),
    updates: timed('updates', engine.updates, histogram),
  };
}
