/** A statement as pg runs it: `$n` placeholders, and a name when it is worth preparing once per connection. */
export interface PostgresStatement {
  text: string;
  name: string | undefined;
}

/** Distinct SQL strings prepared by name; beyond that (runaway dynamic SQL) statements run unnamed. */
const MAX_NAMED = 500;
const MAX_CACHED = 2_000;

/**
 * Rewrites the store's `?` placeholders into `$1, $2, …` once per SQL string and names the result, so that each
 * pg connection parses and plans it once. Names are never reused for another text (pg refuses that), even when
 * the cache is full.
 */
export class PostgresStatements {
  readonly #cache = new Map<string, PostgresStatement>();
  #named = 0;

  get(sql: string): PostgresStatement {
    const cached = this.#cache.get(sql);
    if (cached !== undefined) return cached;
    const text = rewritePlaceholders(sql);
    if (this.#cache.size >= MAX_CACHED) return { text, name: undefined };
    let name: string | undefined;
    if (this.#named < MAX_NAMED) {
      this.#named += 1;
      name = `ctx_${this.#named}`;
    }
    const statement = { text, name };
    this.#cache.set(sql, statement);
    return statement;
  }
}

/** `?` → `$n`, leaving quoted strings and identifiers alone. */
export function rewritePlaceholders(sql: string): string {
  let result = '';
  let index = 0;
  let quote: string | undefined;
  for (const character of sql) {
    if (quote !== undefined) {
      if (character === quote) quote = undefined;
      result += character;
    } else if (character === "'" || character === '"') {
      quote = character;
      result += character;
    } else if (character === '?') {
      index += 1;
      result += `$${index}`;
    } else {
      result += character;
    }
  }
  return result;
}
