/** Timestamps in the hot tier are float64 milliseconds; these turn them back into ISO-8601 text quickly. */

const PAD2 = Array.from({ length: 100 }, (_, value) => String(value).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, value) => String(value).padStart(3, '0'));
const DAY_MS = 86_400_000;
let cachedDay = Number.NaN;
let cachedDayPrefix = '';

/** Date#toISOString, with the date part computed once per UTC day (the time part by arithmetic). */
export function isoOf(ms: number): string {
  if (!Number.isSafeInteger(ms) || Math.abs(ms) > 8.64e15) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    const prefix = new Date(day * DAY_MS).toISOString();
    // years beyond 9999 (or before 0) have a longer date part: let Date format those whole
    if (prefix.length !== 24) return new Date(ms).toISOString();
    cachedDay = day;
    cachedDayPrefix = prefix.slice(0, 11);
  }
  let rest = ms - day * DAY_MS;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  return `${cachedDayPrefix}${PAD2[hours]}:${PAD2[minutes]}:${PAD2[seconds]}.${PAD3[millis]}Z`;
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
