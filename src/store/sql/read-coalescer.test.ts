import { describe, expect, it } from 'vitest';
import { ReadCoalescer } from './read-coalescer.js';

function recordingCoalescer(rows: Record<string, string>) {
  const queries: string[][] = [];
  const coalescer = new ReadCoalescer<string, string>(
    (key) => key,
    async (keys) => {
      queries.push(keys);
      if (keys.includes('broken')) throw new Error('the database failed');
      return new Map(keys.filter((key) => key in rows).map((key) => [key, rows[key] as string]));
    },
  );
  return { coalescer, queries };
}

describe('ReadCoalescer', () => {
  it('answers the reads of one pass with one query, each with its own row or undefined', async () => {
    const { coalescer, queries } = recordingCoalescer({ a: 'row a', b: 'row b' });
    const answers = await Promise.all(['a', 'b', 'missing', 'a'].map((key) => coalescer.load(key)));
    expect(answers).toEqual(['row a', 'row b', undefined, 'row a']);
    expect(queries).toEqual([['a', 'b', 'missing']]);
  });

  it('includes reads asked from microtasks of the same pass, and starts a new query for later ones', async () => {
    const { coalescer, queries } = recordingCoalescer({ a: '1', b: '2', c: '3' });
    const first = Promise.all([coalescer.load('a'), Promise.resolve().then(() => coalescer.load('b'))]);
    expect(await first).toEqual(['1', '2']);
    expect(await coalescer.load('c')).toBe('3');
    expect(queries).toEqual([['a', 'b'], ['c']]);
  });

  it('rejects every read of a failed query, and the next pass queries again', async () => {
    const { coalescer, queries } = recordingCoalescer({ a: '1' });
    const results = await Promise.allSettled([coalescer.load('a'), coalescer.load('broken')]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(await coalescer.load('a')).toBe('1');
    expect(queries).toHaveLength(2);
  });
});
