import type { KnowledgeFilterClause, KnowledgeRangeOperator, KnowledgeScalar } from '../../knowledge-store.js';
import type { SqlFragment } from '../sql-knowledge-store-dialect.js';

const OPERATORS: Record<KnowledgeRangeOperator, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };
const FALSE: SqlFragment = { sql: 'false', parameters: [] };

function columnEquals(column: string, value: KnowledgeScalar): SqlFragment {
  return typeof value === 'string' ? { sql: `c.${column} = ?`, parameters: [value] } : FALSE;
}

function clauseSql(clause: KnowledgeFilterClause): SqlFragment {
  const { field } = clause;
  // JSONB equality keeps JSON types apart: 1 is not "1", true is not 1.
  const equals = (value: KnowledgeScalar): SqlFragment =>
    field.kind === 'metadata'
      ? { sql: '(c.metadata -> ?::text) = ?::jsonb', parameters: [field.key, JSON.stringify(value)] }
      : columnEquals(field.kind === 'milestone' ? 'milestone' : 'created_at', value);
  if (clause.op === 'eq') return equals(clause.value);
  if (clause.op === 'in') {
    const fragments = clause.values.map(equals);
    if (fragments.length === 0) return FALSE;
    return { sql: `(${fragments.map((f) => f.sql).join(' OR ')})`, parameters: fragments.flatMap((f) => f.parameters) };
  }
  const operator = OPERATORS[clause.op];
  if (field.kind === 'milestone') return FALSE;
  if (field.kind === 'createdAt') {
    return clause.type === 'date' ? { sql: `c.created_at ${operator} ?`, parameters: [clause.iso] } : FALSE;
  }
  if (clause.type === 'date') {
    return { sql: `(c.date_index ->> ?::text)::float8 ${operator} ?::float8`, parameters: [field.key, clause.epochMs] };
  }
  return {
    sql:
      `(CASE WHEN jsonb_typeof(c.metadata -> ?::text) = 'number' THEN (c.metadata ->> ?::text)::float8 END) ` +
      `${operator} ?::float8`,
    parameters: [field.key, field.key, clause.value],
  };
}

/** The clauses as one PostgreSQL condition on the chunk table aliased `c` ('true' when there are none). */
export function postgresKnowledgeFilter(clauses: readonly KnowledgeFilterClause[]): SqlFragment {
  if (clauses.length === 0) return { sql: 'true', parameters: [] };
  const fragments = clauses.map(clauseSql);
  return {
    sql: fragments.map((fragment) => `coalesce(${fragment.sql}, false)`).join(' AND '),
    parameters: fragments.flatMap((fragment) => fragment.parameters),
  };
}
