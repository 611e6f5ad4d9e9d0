import { LexicalIndexes, type LexicalPostings } from '../knowledge-lexical-indexes.js';
import type { SqlExecutor } from '../sql-executor.js';

/** Rows read per page of a build (keyset by seq); the event loop runs between pages. */
const PAGE_ROWS = 2_000;

/** A tsvector's text form: `'lexeme':1,5 'other':2` (positions, maybe with a weight letter; none when stripped). */
const LEXEME = /'((?:[^']|'')*)'(?::([0-9A-D,]+))?/g;

/**
 * The lexemes of a tsvector's text with their frequencies (number of positions, 1 when it has none) and its length as
 * ts_rank_cd counts it (the sum of those).
 */
export function parseTsvector(text: string): { lexemes: [string, number][]; length: number } {
  const lexemes: [string, number][] = [];
  let length = 0;
  for (const match of text.matchAll(LEXEME)) {
    const lexeme = (match[1] ?? '').replaceAll("''", "'");
    const positions = match[2];
    const frequency = positions === undefined ? 1 : positions.split(',').length;
    lexemes.push([lexeme, frequency]);
    length += frequency;
  }
  return { lexemes, length };
}

/** A tenant's postings from its chunks' tsvectors (PostgreSQL's own positions: what ts_rank_cd reads), and their ids. */
async function postgresPostings(reader: SqlExecutor, tenantId: string, isClosed: () => boolean): Promise<LexicalPostings> {
  const seqs: number[] = [];
  const lengths: number[] = [];
  const itemIds: string[] = [];
  const chunkIndexes: number[] = [];
  const byTerm = new Map<string, { seqs: number[]; frequencies: number[] }>();
  for (let after = 0; ; ) {
    const rows = await reader.all<{ seq: string | number; item_id: string; chunk_index: string | number; tsv: string }>(
      'SELECT seq, item_id, chunk_index, tsv::text AS tsv FROM knowledge_chunks WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      [tenantId, after, PAGE_ROWS],
    );
    for (const row of rows) {
      const seq = Number(row.seq);
      const { lexemes, length } = parseTsvector(row.tsv);
      seqs.push(seq);
      lengths.push(length);
      itemIds.push(row.item_id);
      chunkIndexes.push(Number(row.chunk_index));
      for (const [lexeme, frequency] of lexemes) {
        let postings = byTerm.get(lexeme);
        if (postings === undefined) {
          postings = { seqs: [], frequencies: [] };
          byTerm.set(lexeme, postings);
        }
        postings.seqs.push(seq);
        postings.frequencies.push(frequency);
      }
      after = seq;
    }
    if (rows.length < PAGE_ROWS) break;
    await new Promise((resolve) => setImmediate(resolve));
    if (isClosed()) throw new Error('the store closed during the build');
  }
  return {
    chunks: { seqs, lengths, itemIds, chunkIndexes },
    terms: [...byTerm].map(([term, postings]) => ({ term, ...postings })),
  };
}

/** PostgreSQL's in-process indexes (ts_rank_cd's cover-density scores), for tenants of at least `minChunks` chunks. */
export function createPostgresLexicalIndexes(reader: SqlExecutor, options: { minChunks: number }): LexicalIndexes {
  return new LexicalIndexes(reader, { minChunks: options.minChunks, scoring: 'coverDensity' }, postgresPostings);
}

/** The shortest decimal that reads back as the same float4: what PostgreSQL prints for a real (and pg returns). */
export function float4Value(value: number): number {
  const single = Math.fround(value);
  for (let digits = 1; digits < 9; digits += 1) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) === single) return candidate;
  }
  return Number(single.toPrecision(9));
}

/** ts_rank_cd's weight of an unweighted (D) position: the float4 0.1 read as a double, as PostgreSQL uses it. */
const D_WEIGHT = Math.fround(0.1);

/** ts_rank_cd (normalisation 1 | 32, default weights) from an index's raw cover-density score. */
export function tsRankCdOf(raw: number): number {
  const rank = D_WEIGHT * raw;
  return float4Value(rank / (rank + 1));
}
