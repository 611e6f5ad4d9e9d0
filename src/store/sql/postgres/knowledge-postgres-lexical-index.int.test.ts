import { expect, it } from 'vitest';
import { makeTenant } from '../../conformance/fixtures.js';
import { describeKnowledgeConformance } from '../../conformance/knowledge-conformance.js';
import { corpus, QUERIES } from '../../conformance/lexical-corpus.js';
import type { KnowledgeHit } from '../../knowledge-store.js';
import type { Store } from '../../store.js';
import { createPostgresStore } from './create-postgres-store.js';
import { float4Value, parseTsvector, tsRankCdOf } from './knowledge-postgres-lexical-index.js';
import { describePostgres } from './postgres-test-database.js';

/** The scores in order, and the ids strictly above the last score (equal scores may come in any order at the cut). */
function comparable(hits: readonly KnowledgeHit[]) {
  const cut = hits.at(-1)?.score ?? 0;
  return {
    scores: hits.map((hit) => hit.score),
    above: hits
      .filter((hit) => hit.score > cut)
      .map((hit) => hit.itemId)
      .sort(),
  };
}

describePostgres('postgres knowledge, in-process lexical index', (database) => {
  // The whole knowledge suite again, with every tenant ranked by the in-process index.
  describeKnowledgeConformance({
    name: 'postgres, in-process lexical index',
    create: () => database.openStore({ lexicalIndex: { minChunks: 0 } }),
    destroy: (store) => store.close(),
  });

  it('ranks as ts_rank_cd does (the same float4 scores), inside the tenant, and follows writes', async () => {
    const schema = database.nextSchema();
    const indexed = await createPostgresStore({ url: database.url, schema, lexicalIndex: { minChunks: 0 } });
    const plain: Store = await createPostgresStore({ url: database.url, schema, lexicalIndex: false });
    try {
      for (const tenant of ['a', 'b']) await indexed.tenants.create(makeTenant(tenant));
      await indexed.knowledge.put('a', corpus(7, 300, 'a'));
      // Tenant b holds the same terms: an index that leaked across tenants would return its items.
      await indexed.knowledge.put('b', corpus(7, 120, 'b'));
      const compare = async () => {
        await indexed.knowledge.prepare?.('a');
        for (const terms of QUERIES) {
          for (const limit of [1, 5, 25]) {
            const query = { terms, limit, filter: [] };
            const fast = await indexed.knowledge.lexicalSearch('a', query);
            const reference = await plain.knowledge.lexicalSearch('a', query);
            expect(comparable(fast)).toEqual(comparable(reference));
            expect(fast.every((hit) => hit.itemId.startsWith('a-'))).toBe(true);
          }
        }
      };
      await compare();
      // Replacements and removals make the index stale; once rebuilt it answers the same again.
      await indexed.knowledge.put('a', corpus(13, 40, 'a'));
      await indexed.knowledge.remove('a', 'a-3');
      await compare();
    } finally {
      await indexed.close();
      await plain.close();
    }
  });

  it("reads a tsvector's text as PostgreSQL prints it, and float4 values as pg returns them", async () => {
    expect(parseTsvector("'alpha':1,3 'beta':2 'it''s' 'gamma':4A,7")).toEqual({
      lexemes: [
        ['alpha', 2],
        ['beta', 1],
        ["it's", 1],
        ['gamma', 2],
      ],
      length: 6,
    });
    const rows = await database.admin((client) =>
      client.query<{ rank: number }>("SELECT ts_rank_cd('a:1 b:2 a:3 c:4'::tsvector, 'a | b'::tsquery, 1 | 32) AS rank"),
    );
    expect(tsRankCdOf(3 / Math.log(5))).toBe(Number(rows.rows[0]?.rank));
    expect(float4Value(0.1)).toBe(0.1);
    expect(Math.fround(float4Value(1 / 3))).toBe(Math.fround(1 / 3));
  });
});
