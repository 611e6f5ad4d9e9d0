import type { KnowledgeFilterClause, KnowledgeRangeOperator, KnowledgeScalar } from '../../knowledge-store.js';
import type { SqlFragment } from '../sql-knowledge-store-dialect.js';

const OPERATORS: Record<KnowledgeRangeOperator, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };

/** `$."key"`: keys are validated by the service (no double quotes). */
function path(key: string): string {
  return `$."${key}"`;
}

/** Equality of a metadata value with JSON types kept apart (json_type tells 1 from "1" and from true). */
function metadataEquals(key: string, value: KnowledgeScalar): SqlFragment {
  if (typeof value === 'boolean') return { sql: 'json_type(c.metadata, ?) = ?', parameters: [path(key), String(value)] };
  const types = typeof value === 'number' ? "('integer', 'real')" : "('text')";
  return {
    sql: `(json_type(c.metadata, ?) IN ${types} AND json_extract(c.metadata, ?) = ?)`,
    parameters: [path(key), path(key), value],
  };
}

function columnEquals(column: string, value: KnowledgeScalar): SqlFragment {
  return typeof value === 'string' ? { sql: `c.${column} = ?`, parameters: [value] } : { sql: '0', parameters: [] };
}

function clauseSql(clause: KnowledgeFilterClause): SqlFragment {
  const { field } = clause;
  const equals = (value: KnowledgeScalar) =>
    field.kind === 'metadata'
      ? metadataEquals(field.key, value)
      : columnEquals(field.kind === 'milestone' ? 'milestone' : 'created_at', value);
  if (clause.op === 'eq') return equals(clause.value);
  if (clause.op === 'in') return any(clause.values.map(equals));
  const operator = OPERATORS[clause.op];
  if (field.kind === 'milestone') return { sql: '0', parameters: [] };
  if (field.kind === 'createdAt') {
    // created_at is canonical ISO-8601 (toISOString): text order is time order.
    return clause.type === 'date'
      ? { sql: `c.created_at ${operator} ?`, parameters: [clause.iso] }
      : { sql: '0', parameters: [] };
  }
  if (clause.type === 'date') {
    return { sql: `json_extract(c.date_index, ?) ${operator} ?`, parameters: [path(field.key), clause.epochMs] };
  }
  return {
    sql: `(json_type(c.metadata, ?) IN ('integer', 'real') AND json_extract(c.metadata, ?) ${operator} ?)`,
    parameters: [path(field.key), path(field.key), clause.value],
  };
}

function any(fragments: SqlFragment[]): SqlFragment {
  if (fragments.length === 0) return { sql: '0', parameters: [] };
  return {
    sql: `(${fragments.map((fragment) => fragment.sql).join(' OR ')})`,
    parameters: fragments.flatMap((f) => f.parameters),
  };
}

/** The clauses as one SQLite condition on the chunk table aliased `c` ('1' when there are none). */
export function sqliteKnowledgeFilter(clauses: readonly KnowledgeFilterClause[]): SqlFragment {
  if (clauses.length === 0) return { sql: '1', parameters: [] };
  const fragments = clauses.map(clauseSql);
  return { sql: fragments.map((fragment) => fragment.sql).join(' AND '), parameters: fragments.flatMap((f) => f.parameters) };
}
