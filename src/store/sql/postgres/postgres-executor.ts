import type { QueryResult, QueryResultRow } from 'pg';
import type { SqlExecutor, SqlParameter, SqlRunResult } from '../sql-executor.js';
import { translatePostgresError } from './postgres-errors.js';
import type { PostgresStatements } from './postgres-statements.js';

/** What runs a query: the pool (reads) or one checked-out client (a write transaction). */
export interface PostgresQueryable {
  query<Row extends QueryResultRow>(config: {
    text: string;
    name?: string | undefined;
    values?: unknown[] | undefined;
  }): Promise<QueryResult<Row>>;
}

/** pg behind the SqlExecutor interface: `?` rewritten and named once per SQL string, errors translated. */
export class PostgresExecutor implements SqlExecutor {
  readonly #target: PostgresQueryable;
  readonly #statements: PostgresStatements;
  readonly #inTransaction: boolean;

  constructor(target: PostgresQueryable, statements: PostgresStatements, inTransaction: boolean) {
    this.#target = target;
    this.#statements = statements;
    this.#inTransaction = inTransaction;
  }

  async get<Row>(sql: string, parameters?: readonly SqlParameter[]): Promise<Row | undefined> {
    const result = await this.query(sql, parameters);
    return result.rows[0] as Row | undefined;
  }

  async all<Row>(sql: string, parameters?: readonly SqlParameter[]): Promise<Row[]> {
    const result = await this.query(sql, parameters);
    return result.rows as Row[];
  }

  async run(sql: string, parameters?: readonly SqlParameter[]): Promise<SqlRunResult> {
    const result = await this.query(sql, parameters);
    return { changes: result.rowCount ?? 0 };
  }

  protected async query(sql: string, parameters: readonly SqlParameter[] = []): Promise<QueryResult<QueryResultRow>> {
    const { text, name } = this.#statements.get(sql);
    try {
      return await this.#target.query({ text, name, values: parameters as unknown[] });
    } catch (error) {
      throw translatePostgresError(error, this.#inTransaction);
    }
  }
}
