import type { JsonObject } from '../../core/json.js';
import { type KnowledgeField, type KnowledgeFilterClause, type KnowledgeScalar, parseIsoInstant } from '../knowledge-store.js';

/** What a filter reads from an item. */
export interface FilterableItem {
  metadata: JsonObject;
  milestone: string | null;
  createdAt: string;
}

function fieldValue(item: FilterableItem, field: KnowledgeField): unknown {
  if (field.kind === 'milestone') return item.milestone;
  if (field.kind === 'createdAt') return item.createdAt;
  return Object.hasOwn(item.metadata, field.key) ? item.metadata[field.key] : undefined;
}

/** Scalar equality with JSON types kept apart (1 is not "1", true is not 1). */
function same(value: unknown, expected: KnowledgeScalar): boolean {
  return typeof value === typeof expected && value === expected;
}

function compare(actual: number, op: 'gt' | 'gte' | 'lt' | 'lte', bound: number): boolean {
  if (op === 'gt') return actual > bound;
  if (op === 'gte') return actual >= bound;
  if (op === 'lt') return actual < bound;
  return actual <= bound;
}

function holds(item: FilterableItem, clause: KnowledgeFilterClause): boolean {
  const value = fieldValue(item, clause.field);
  if (clause.op === 'eq') return same(value, clause.value);
  if (clause.op === 'in') return clause.values.some((expected) => same(value, expected));
  if (clause.type === 'number') return typeof value === 'number' && compare(value, clause.op, clause.value);
  const time = typeof value === 'string' ? parseIsoInstant(value) : undefined;
  return time !== undefined && compare(time, clause.op, clause.epochMs);
}

/** True when every clause holds (the reference semantics the SQL backends reproduce). */
export function matchesKnowledgeFilter(item: FilterableItem, clauses: readonly KnowledgeFilterClause[]): boolean {
  return clauses.every((clause) => holds(item, clause));
}
