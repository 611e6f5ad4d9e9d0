/**
 * A buffer of at least `needed` bytes holding the first `used` bytes of `buffer`: its size doubled (from at least
 * `minimum`) until it fits. Callers check for room themselves and call this only to grow.
 */
export function grownBuffer(
  buffer: Buffer,
  used: number,
  needed: number,
  minimum = 0,
  allocate: (size: number) => Buffer = Buffer.allocUnsafe,
): Buffer {
  let size = Math.max(minimum, 2 * buffer.length);
  while (size < needed) size *= 2;
  const grown = allocate(size);
  buffer.copy(grown, 0, 0, used);
  return grown;
}
