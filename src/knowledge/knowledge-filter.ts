import { ValidationError } from '../core/errors.js';
import {
  type KnowledgeField,
  type KnowledgeFilterClause,
  type KnowledgeRangeOperator,
  type KnowledgeScalar,
  parseIsoInstant,
} from '../store/knowledge-store.js';
import type { KnowledgeFilter } from './knowledge-service.js';

const RANGE_OPERATORS: readonly KnowledgeRangeOperator[] = ['gt', 'gte', 'lt', 'lte'];

function fieldOf(key: string): KnowledgeField {
  if (key === 'milestone') return { kind: 'milestone' };
  if (key === 'createdAt') return { kind: 'createdAt' };
  return { kind: 'metadata', key };
}

function invalid(key: string, message: string): ValidationError {
  return new ValidationError(`Invalid filter: ${key}: ${message}`, { code: 'invalid_filter', details: { field: key } });
}

/** createdAt is stored canonical (toISOString), so an equality value is made canonical too. */
function scalarFor(key: string, field: KnowledgeField, value: KnowledgeScalar): KnowledgeScalar {
  if (field.kind === 'metadata') return value;
  if (typeof value !== 'string') throw invalid(key, 'compares with strings only');
  if (field.kind === 'milestone') return value;
  const time = parseIsoInstant(value);
  if (time === undefined) throw invalid(key, `${JSON.stringify(value)} is not an ISO-8601 date`);
  return new Date(time).toISOString();
}

function rangeClause(
  key: string,
  field: KnowledgeField,
  op: KnowledgeRangeOperator,
  bound: number | string,
): KnowledgeFilterClause {
  if (field.kind === 'milestone') throw invalid(key, 'takes no ranges');
  if (typeof bound === 'number') {
    if (field.kind === 'createdAt') throw invalid(key, 'ranges take ISO-8601 dates');
    if (!Number.isFinite(bound)) throw invalid(key, `${op} must be a finite number`);
    return { field, op, type: 'number', value: bound };
  }
  const epochMs = parseIsoInstant(bound);
  if (epochMs === undefined) {
    throw invalid(
      key,
      `${op} must be a number or an ISO-8601 date (2025-01-31 or 2025-01-31T12:00:00Z), got ${JSON.stringify(bound)}`,
    );
  }
  return { field, op, type: 'date', epochMs, iso: new Date(epochMs).toISOString() };
}

/** The filter of a search as clauses the stores evaluate; ValidationError `invalid_filter` names the bad field. */
export function normalizeKnowledgeFilter(filter: KnowledgeFilter | undefined): KnowledgeFilterClause[] {
  const clauses: KnowledgeFilterClause[] = [];
  for (const [key, condition] of Object.entries(filter ?? {})) {
    const field = fieldOf(key);
    if (typeof condition !== 'object' || condition === null) {
      clauses.push({ field, op: 'eq', value: scalarFor(key, field, condition) });
      continue;
    }
    if (condition.eq !== undefined) clauses.push({ field, op: 'eq', value: scalarFor(key, field, condition.eq) });
    if (condition.in !== undefined) {
      clauses.push({ field, op: 'in', values: condition.in.map((value) => scalarFor(key, field, value)) });
    }
    for (const op of RANGE_OPERATORS) {
      const bound = condition[op];
      if (bound !== undefined) clauses.push(rangeClause(key, field, op, bound));
    }
  }
  return clauses;
}
