/** Timestamps in the hot tier are float64 milliseconds; these turn them back into ISO-8601 text quickly. */

const DAY_MS = 86_400_000;
const ZERO = 48;
let cachedDay = Number.NaN;
/** Char codes of the cached day's `YYYY-MM-DDT`. */
const dayCodes = new Uint16Array(11);

/**
 * Date#toISOString, with the date part computed once per UTC day and the time part by arithmetic, built as one flat
 * string from char codes (a template literal would leave a rope of ten pieces per timestamp for the GC and for
 * whoever reads it).
 */
export function isoOf(ms: number): string {
  if (!Number.isSafeInteger(ms) || Math.abs(ms) > 8.64e15) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    const prefix = new Date(day * DAY_MS).toISOString();
    // years beyond 9999 (or before 0) have a longer date part: let Date format those whole
    if (prefix.length !== 24) return new Date(ms).toISOString();
    cachedDay = day;
    for (let index = 0; index < 11; index += 1) dayCodes[index] = prefix.charCodeAt(index);
  }
  let rest = ms - day * DAY_MS;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  const codes = dayCodes;
  return String.fromCharCode(
    codes[0] as number,
    codes[1] as number,
    codes[2] as number,
    codes[3] as number,
    codes[4] as number,
    codes[5] as number,
    codes[6] as number,
    codes[7] as number,
    codes[8] as number,
    codes[9] as number,
    codes[10] as number,
    ZERO + ((hours / 10) | 0),
    ZERO + (hours % 10),
    58 /* : */,
    ZERO + ((minutes / 10) | 0),
    ZERO + (minutes % 10),
    58 /* : */,
    ZERO + ((seconds / 10) | 0),
    ZERO + (seconds % 10),
    46 /* . */,
    ZERO + ((millis / 100) | 0),
    ZERO + (((millis / 10) | 0) % 10),
    ZERO + (millis % 10),
    90 /* Z */,
  );
}

let lastIso = '';
let lastMs = 0;

/** Date.parse, remembering the last answer (emits of one millisecond share their timestamp). */
export function parseIso(iso: string): number {
  if (iso !== lastIso) {
    lastMs = Date.parse(iso);
    lastIso = iso;
  }
  return lastMs;
}
