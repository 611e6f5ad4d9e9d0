import { describe, expect, it } from 'vitest';
import { PostgresStatements, rewritePlaceholders } from './postgres-statements.js';

describe('postgres statements', () => {
  it('numbers ? placeholders, leaving quoted text alone', () => {
    expect(rewritePlaceholders('SELECT * FROM t WHERE a = ? AND b = \'why?\' AND "c?" IN (?, ?)')).toBe(
      'SELECT * FROM t WHERE a = $1 AND b = \'why?\' AND "c?" IN ($2, $3)',
    );
  });

  it('rewrites each SQL string once and names it for good', () => {
    const statements = new PostgresStatements();
    const first = statements.get('SELECT ?');
    expect(statements.get('SELECT ?')).toBe(first);
    expect(first).toEqual({ text: 'SELECT $1', name: expect.stringMatching(/^ctx_\d+$/) });
    expect(statements.get('SELECT ?, ?').name).not.toBe(first.name);
  });
});
