import type { SqlDialect } from '../sql-dialect.js';

/** What a migration needs to know about its dialect. */
export type SchemaOptions = Pick<SqlDialect, 'backend' | 'jsonColumnType' | 'compositeKeyTableSuffix' | 'textCollation'>;
