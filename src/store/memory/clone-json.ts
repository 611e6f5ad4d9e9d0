/**
 * A deep copy of a JSON-shaped value (plain objects, arrays, primitives): what the memory stores hand in and out
 * instead of sharing their state. Several times cheaper than `structuredClone` on the small records they hold;
 * anything else (a class instance, an own `__proto__` key) is copied by `structuredClone`.
 */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index += 1) copy[index] = cloneJson(value[index] as unknown);
    return copy as T;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return structuredClone(value);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return structuredClone(value);
    copy[key] = cloneJson((value as Record<string, unknown>)[key]);
  }
  return copy as T;
}
