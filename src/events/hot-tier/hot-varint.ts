/** The varints and length-prefixed texts of hot records (the layout of encodeEntry). */

/** The varint at `at` (ids and depth; nearly all fit in one byte). */
export function varintAt(bytes: Uint8Array, at: number): number {
  let byte = bytes[at] as number;
  if (byte < 0x80) return byte;
  let result = byte & 0x7f;
  let scale = 128;
  for (let next = at + 1; ; next += 1) {
    byte = bytes[next] as number;
    result += (byte & 0x7f) * scale;
    if (byte < 0x80) return result;
    scale *= 128;
  }
}

/** Where the length-prefixed text at `at` ends. */
export function textEnd(bytes: Uint8Array, at: number): number {
  return afterVarint(bytes, at) + varintAt(bytes, at);
}

/** Where the varint at `at` ends. */
export function afterVarint(bytes: Uint8Array, at: number): number {
  let next = at;
  while ((bytes[next] as number) >= 0x80) next += 1;
  return next + 1;
}
