import type { SqlExecutor, SqlParameter } from './sql-executor.js';

/** Row counts a multi-row statement is issued with: a few fixed sizes keep the prepared-statement cache small. */
const CHUNK_SIZES = [64, 16, 4, 1] as const;

function placeholders(rowCount: number, columnCount: number): string {
  const row = `(${Array(columnCount).fill('?').join(', ')})`;
  return Array(rowCount).fill(row).join(', ');
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
    const chunk = rows.slice(start, start + size);
    const columnCount = chunk[0]?.length ?? 0;
    await executor.run(`${head} VALUES ${placeholders(size, columnCount)}${suffix}`, chunk.flat());
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
