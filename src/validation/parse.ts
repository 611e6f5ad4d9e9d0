import type { z } from 'zod';
import { ValidationError } from '../core/errors.js';

/** Formats zod issues as one precise line: `value.items[2]: expected number, received string; key: …`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.length === 0 ? '' : `${issue.path.map(String).join('.')}: `;
      return `${path}${issue.message}`;
    })
    .join('; ');
}

/** Parses input with a schema or throws a ValidationError naming what was wrong. */
export function parseWith<Schema extends z.ZodType>(schema: Schema, input: unknown, what: string): z.output<Schema> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ValidationError(`Invalid ${what}: ${describeIssues(result.error.issues)}`);
  }
  return result.data;
}
