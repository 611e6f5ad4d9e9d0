import type { Command } from 'commander';
import type { EngineConfig, EngineConfigInput } from '../config/engine-config.js';
import { loadConfig } from '../config/load-config.js';
import { ContextEngineError } from '../core/errors.js';
import { createEngine, type Engine } from '../engine.js';
import type { CliIo } from './cli-io.js';
import { UsageError } from './exit-codes.js';
import { Output } from './output.js';

export interface GlobalOptions {
  database?: string | undefined;
  json?: boolean | undefined;
}

/** What every command gets: the I/O, its output mode, the configuration and an engine on the configured database. */
export class CliRuntime {
  readonly io: CliIo;
  /** A non-error exit code a command chose (e.g. 10 for "pending review"). */
  exitCode = 0;

  constructor(io: CliIo) {
    this.io = io;
  }

  globals(command: Command): GlobalOptions {
    return command.optsWithGlobals<GlobalOptions>();
  }

  output(command: Command): Output {
    return new Output(this.io, this.globals(command).json === true);
  }

  /** File, then CTX_* variables, then flags; a bad configuration is a usage error. */
  config(command: Command, overrides: EngineConfigInput = {}): EngineConfig {
    const database = this.globals(command).database;
    const input: EngineConfigInput = database === undefined ? overrides : { ...overrides, databaseUrl: database };
    try {
      return loadConfig(input, this.io.env);
    } catch (error) {
      if (error instanceof ContextEngineError) throw new UsageError(error.message, { cause: error });
      throw error;
    }
  }

  async openEngine(command: Command, overrides: EngineConfigInput = {}): Promise<Engine> {
    return createEngine(this.config(command, overrides));
  }

  /** Runs `work` with an engine on the configured database, closing it afterwards. */
  async withEngine<T>(command: Command, work: (engine: Engine, output: Output) => Promise<T>): Promise<T> {
    const engine = await this.openEngine(command);
    try {
      return await work(engine, this.output(command));
    } finally {
      await engine.close();
    }
  }
}
