import type { Histogram } from 'prom-client';
import type { Engine } from '../engine.js';

function timed<T extends object>(service: string, target: T, histogram: Histogram<'operation' | 'outcome'>): T {
  // One wrapper per method and one labelled child per outcome, made once: nothing is hashed per call.
  const wrappers = new Map<PropertyKey, (...args: unknown[]) => unknown>();
  function wrap(property: PropertyKey) {
    const operation = `${service}.${String(property)}`;
    const ok = histogram.labels({ operation, outcome: 'ok' });
    const failed = histogram.labels({ operation, outcome: 'error' });
    return (...args: unknown[]) => {
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      let result: unknown;
      try {
        // Looked up per call: a service method replaced later (tests) is still the one timed.
        const member = Reflect.get(target, property) as (...args: unknown[]) => unknown;
        result = member.apply(target, args);
      } catch (error) {
        failed.observe(seconds());
        throw error;
      }
      if (!(result instanceof Promise)) {
        ok.observe(seconds());
        return result;
      }
      return result.then(
        (value) => {
          ok.observe(seconds());
          return value;
        },
        (error: unknown) => {
          failed.observe(seconds());
          throw error;
        },
      );
    };
  }
  return new Proxy(target, {
    get(object, property, receiver) {
      const member = Reflect.get(object, property, receiver) as unknown;
      if (typeof member !== 'function') return member;
      let wrapper = wrappers.get(property);
      if (wrapper === undefined) {
        wrapper = wrap(property);
        wrappers.set(property, wrapper);
      }
      return wrapper;
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
    knowledge: timed('knowledge', engine.knowledge, histogram),
    runs: timed('runs', engine.runs, histogram),
  };
}
