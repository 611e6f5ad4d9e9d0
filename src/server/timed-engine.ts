import type { Engine } from '../engine.js';
import type { RecordedHistogram } from './plugins/recorded-metrics.js';

type Method = (...args: unknown[]) => unknown;

/** Every method name of a service object: its own and its prototypes' (classes), up to Object.prototype. */
function methodNames(target: object): Set<PropertyKey> {
  const names = new Set<PropertyKey>();
  for (let level: object | null = target; level !== null && level !== Object.prototype; level = Object.getPrototypeOf(level)) {
    for (const name of Reflect.ownKeys(level)) {
      if (name === 'constructor') continue;
      const descriptor = Reflect.getOwnPropertyDescriptor(level, name);
      if (descriptor !== undefined && typeof descriptor.value === 'function') names.add(name);
    }
  }
  return names;
}

function timed<T extends object>(service: string, target: T, histogram: RecordedHistogram<'operation' | 'outcome'>): T {
  // A plain object with one wrapper per method (no Proxy trap on every access), labelled series made once.
  const facade = Object.create(target) as Record<PropertyKey, unknown>;
  for (const property of methodNames(target)) {
    const operation = `${service}.${String(property)}`;
    const ok = histogram.series({ operation, outcome: 'ok' });
    const failed = histogram.series({ operation, outcome: 'error' });
    facade[property] = (...args: unknown[]) => {
      const started = performance.now();
      let result: unknown;
      try {
        // Looked up per call: a service method replaced later (tests) is still the one timed.
        result = (Reflect.get(target, property) as Method).apply(target, args);
      } catch (error) {
        failed.observe((performance.now() - started) / 1000);
        throw error;
      }
      if (!(result instanceof Promise)) {
        ok.observe((performance.now() - started) / 1000);
        return result;
      }
      return result.then(
        (value) => {
          ok.observe((performance.now() - started) / 1000);
          return value;
        },
        (error: unknown) => {
          failed.observe((performance.now() - started) / 1000);
          throw error;
        },
      );
    };
  }
  return facade as T;
}

/**
 * The engine the routes use: the same services, each call timed into `histogram` by operation
 * (`contexts.get`, `updates.approve`, …) and outcome. This measures store work as the API sees it
 * (validation + store round trips), without touching the library.
 */
export function timeEngine(engine: Engine, histogram: RecordedHistogram<'operation' | 'outcome'>): Engine {
  return {
    ...engine,
    close: () => engine.close(),
    tenants: timed('tenants', engine.tenants, histogram),
    contexts: timed('contexts', engine.contexts, histogram),
    updates: timed('updates', engine.updates, histogram),
    knowledge: timed('knowledge', engine.knowledge, histogram),
    runs: timed('runs', engine.runs, histogram),
  };
}
