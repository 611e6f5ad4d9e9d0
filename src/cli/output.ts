import type { CliIo } from './cli-io.js';

export type Row = Record<string, string | number | boolean | null | undefined>;

function cell(value: Row[string]): string {
  if (value === undefined || value === null) return '-';
  return String(value);
}

/** A plain text table: upper-case headers, columns padded to their widest cell. */
export function formatTable(rows: readonly Row[], columns: readonly string[]): string {
  const header = columns.map((column) => column.toUpperCase());
  const body = rows.map((row) => columns.map((column) => cell(row[column])));
  const widths = header.map((title, index) => Math.max(title.length, ...body.map((line) => (line[index] ?? '').length)));
  const render = (line: readonly string[]) =>
    line
      .map((text, index) => (index === line.length - 1 ? text : text.padEnd(widths[index] ?? 0)))
      .join('  ')
      .trimEnd();
  return [render(header), ...body.map(render)].join('\n');
}

/** Writes either machine output (`--json`: one JSON document on stdout) or human lines. */
export class Output {
  readonly json: boolean;
  readonly #io: CliIo;

  constructor(io: CliIo, json: boolean) {
    this.#io = io;
    this.json = json;
  }

  /** The JSON document in --json mode, else the human text. */
  result(value: unknown, human: () => string): void {
    this.#io.stdout.write(this.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
  }

  table(rows: readonly Row[], columns: readonly string[], empty: string): string {
    return rows.length === 0 ? empty : formatTable(rows, columns);
  }
}
