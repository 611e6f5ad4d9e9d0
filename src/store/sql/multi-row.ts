import type { SqlExecutor, SqlParameter } from './sql-executor.js';

/** Row counts a multi-row statement is issued with: a few fixed sizes keep the prepared-statement cache small. */
const CHUNK_SIZES = [64, 16, 4, 1] as const;

function placeholders(rowCount: number, columnCount: number): string {
  const row = `(${Array(columnCount).fill('?').join(', ')})`;
  return Array(rowCount).fill(row).join(', ');
}

/**
 * The statements `insertRows` has built, by head and suffix (the callers' constants, whose hashes V8 keeps), then row
 * and column count: a batch re-runs the same few texts, and building one (and hashing the fresh string again in the
 * executor's statement cache) cost more JS time than running it.
 */
const insertStatements = new Map<string, Map<string, Map<number, string>>>();
/** Only a caller building heads at run time could pass this many; forgetting them all then keeps memory bounded. */
const MAX_HEADS = 64;

function insertStatement(head: string, rowCount: number, columnCount: number, suffix: string): string {
  let bySuffix = insertStatements.get(head);
  if (bySuffix === undefined) {
    if (insertStatements.size >= MAX_HEADS) insertStatements.clear();
    bySuffix = new Map();
    insertStatements.set(head, bySuffix);
  }
  let byShape = bySuffix.get(suffix);
  if (byShape === undefined) {
    byShape = new Map();
    bySuffix.set(suffix, byShape);
  }
  const shape = rowCount * 65_536 + columnCount;
  let sql = byShape.get(shape);
  if (sql === undefined) {
    sql = `${head} VALUES ${placeholders(rowCount, columnCount)}${suffix}`;
    byShape.set(shape, sql);
  }
  return sql;
}

/**
 * The parameters of several rows in one array, row after row: what `rows.flat()` returns, built with a plain loop
 * (V8's `Array.prototype.flat` took ~3 µs per 13-column row, 35 times as long, on the group-committed write path).
 */
export function flattenRows<Value>(rows: readonly (readonly Value[])[], start = 0, end = rows.length): Value[] {
  const values: Value[] = [];
  for (let index = start; index < end; index++) {
    const row = rows[index] as readonly Value[];
    for (let column = 0; column < row.length; column++) values.push(row[column] as Value);
  }
  return values;
}

/**
 * Runs `INSERT … VALUES (…), (…) <suffix>` for `rows`, in chunks of fixed sizes (64, 16, 4, 1 rows), in order.
 * `head` is everything before VALUES; every row has the same number of columns.
 */
export async function insertRows(executor: SqlExecutor, head: string, rows: SqlParameter[][], suffix = ''): Promise<void> {
  let start = 0;
  while (start < rows.length) {
    const remaining = rows.length - start;
    const size = CHUNK_SIZES.find((candidate) => candidate <= remaining) ?? 1;
    const columnCount = rows[start]?.length ?? 0;
    await executor.run(insertStatement(head, size, columnCount, suffix), flattenRows(rows, start, start + size));
    start += size;
  }
}

/** Runs `query(chunk)` over `items` in chunks of fixed sizes and concatenates the rows it returns. */
export async function selectInChunks<Item, Row>(
  items: readonly Item[],
  query: (chunk: Item[]) => Promise<Row[]>,
): Promise<Row[]> {
  const rows: Row[] = [];
  let start = 0;
  while (start < items.length) {
    const remaining = items.length - start;
    const size = CHUNK_SIZES.find((candidate) => candidate <= remaining) ?? 1;
    rows.push(...(await query(items.slice(start, start + size))));
    start += size;
  }
  return rows;
}
