import { describe, expect, it } from 'vitest';
import { flattenRows, insertRows } from './multi-row.js';
import type { SqlExecutor, SqlParameter } from './sql-executor.js';

function recordingExecutor() {
  const statements: { sql: string; parameters: readonly SqlParameter[] }[] = [];
  const executor: SqlExecutor = {
    get: async () => undefined,
    all: async () => [],
    run: async (sql, parameters = []) => {
      statements.push({ sql, parameters });
      return { changes: 0 };
    },
  };
  return { executor, statements };
}

describe('flattenRows', () => {
  it('gives what rows.flat() gives, for the whole array or a range of rows', () => {
    const rows: SqlParameter[][] = [
      ['a', 1, null],
      ['b', 2, new Uint8Array([1])],
      ['c', 3, 'x'],
    ];
    expect(flattenRows(rows)).toEqual(rows.flat());
    expect(flattenRows(rows, 1, 3)).toEqual(rows.slice(1, 3).flat());
    expect(flattenRows(rows, 2, 2)).toEqual([]);
  });
});

describe('insertRows', () => {
  it('inserts in chunks of 64, 16, 4 and 1 rows, in order, reusing one text per chunk shape', async () => {
    const { executor, statements } = recordingExecutor();
    const rows = Array.from({ length: 22 }, (_, index): SqlParameter[] => [`k${index}`, index]);
    await insertRows(executor, 'INSERT INTO t (k, v)', rows, ' ON CONFLICT DO NOTHING');
    await insertRows(executor, 'INSERT INTO t (k, v)', rows.slice(0, 16), ' ON CONFLICT DO NOTHING');
    const sizes = statements.map((statement) => statement.parameters.length / 2);
    expect(sizes).toEqual([16, 4, 1, 1, 16]);
    expect(statements[0]?.sql).toBe(`INSERT INTO t (k, v) VALUES ${Array(16).fill('(?, ?)').join(', ')} ON CONFLICT DO NOTHING`);
    expect(statements[4]?.sql).toBe(statements[0]?.sql);
    expect(statements.flatMap((statement) => statement.parameters)).toEqual([...rows.flat(), ...rows.slice(0, 16).flat()]);
    // another head or suffix gets its own text
    await insertRows(executor, 'INSERT INTO u (k, v)', rows.slice(0, 1));
    expect(statements[5]?.sql).toBe('INSERT INTO u (k, v) VALUES (?, ?)');
  });
});
