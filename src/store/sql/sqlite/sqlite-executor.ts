import type Database from 'better-sqlite3';
import type { SqlExecutor, SqlParameter, SqlRunResult } from '../sql-executor.js';
import { translateSqliteError } from './sqlite-errors.js';

const MAX_CACHED_STATEMENTS = 1_000;

/**
 * better-sqlite3 behind the SqlExecutor interface. Each SQL string is prepared once and kept: the hot reads
 * cost one cached statement call, no query building. Calls are synchronous; the promises only fit the port.
 */
export class SqliteExecutor implements SqlExecutor {
  readonly connection: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(connection: Database.Database) {
    this.connection = connection;
  }

  get<Row>(sql: string, parameters: readonly SqlParameter[] = []): Promise<Row | undefined> {
    try {
      return Promise.resolve(this.#statement(sql).get(...parameters) as Row | undefined);
    } catch (error) {
      return Promise.reject(translateSqliteError(error));
    }
  }

  all<Row>(sql: string, parameters: readonly SqlParameter[] = []): Promise<Row[]> {
    try {
      return Promise.resolve(this.#statement(sql).all(...parameters) as Row[]);
    } catch (error) {
      return Promise.reject(translateSqliteError(error));
    }
  }

  run(sql: string, parameters: readonly SqlParameter[] = []): Promise<SqlRunResult> {
    try {
      return Promise.resolve(this.runSync(sql, parameters));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Runs a statement now; throws the translated error. */
  runSync(sql: string, parameters: readonly SqlParameter[] = []): SqlRunResult {
    try {
      return { changes: Number(this.#statement(sql).run(...parameters).changes) };
    } catch (error) {
      throw translateSqliteError(error);
    }
  }

  #statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.connection.prepare(sql);
      // Dynamic filters make a bounded family of strings; the cap only guards against a runaway one.
      if (this.#statements.size >= MAX_CACHED_STATEMENTS) this.#statements.clear();
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
