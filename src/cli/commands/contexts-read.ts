import { type Command, Option } from 'commander';
import { versionBody } from '../../contexts/version-view.js';
import type { ContextVersion } from '../../core/context-version.js';
import type { Engine } from '../../engine.js';
import { isoTimestamp, positiveInteger } from '../parse-arguments.js';
import type { CliRuntime } from '../runtime.js';

interface GetOptions {
  version?: number | undefined;
  asOf?: string | undefined;
}

async function allVersions(engine: Engine, tenantId: string, key: string): Promise<ContextVersion[]> {
  const items: ContextVersion[] = [];
  let cursor: string | undefined;
  do {
    const page = await engine.contexts.history(tenantId, key, { cursor, limit: 500 });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return items;
}

export function registerContextReads(program: Command, runtime: CliRuntime): void {
  program
    .command('get <tenant> <key>')
    .description('print a context document (current, at --version, or --as-of a time)')
    .addOption(new Option('--version <n>', 'a given version').argParser(positiveInteger).conflicts('asOf'))
    .addOption(new Option('--as-of <iso>', 'the version current at this ISO-8601 time').argParser(isoTimestamp))
    .action(async (tenantId: string, key: string, options: GetOptions, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const found = await engine.contexts.get(tenantId, key, { version: options.version, asOf: options.asOf });
        output.result(versionBody(found), () => JSON.stringify(found.value, null, 2));
      });
    });

  program
    .command('history <tenant> <key>')
    .description('every version of a context document, oldest first')
    .action(async (tenantId: string, key: string, _options: unknown, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const items = await allVersions(engine, tenantId, key);
        output.result({ items: items.map(versionBody) }, () =>
          output.table(
            items.map((version) => ({
              version: version.version,
              created: version.createdAt,
              source: version.source,
              author: version.author,
              hash: version.contentHash.slice(0, 12),
              update: version.updateId,
              note: version.deleted ? 'deleted' : '',
            })),
            ['version', 'created', 'source', 'author', 'hash', 'update', 'note'],
            'No versions.',
          ),
        );
      });
    });

  program
    .command('diff')
    .description('RFC 6902 JSON Patch from one version to another')
    .argument('<tenant>')
    .argument('<key>')
    .argument('<from>', 'version to diff from', positiveInteger)
    .argument('<to>', 'version to diff to', positiveInteger)
    .action(
      async (tenantId: string, key: string, fromVersion: number, toVersion: number, _options: unknown, command: Command) => {
        await runtime.withEngine(command, async (engine, output) => {
          const diff = await engine.contexts.diff(tenantId, key, fromVersion, toVersion);
          output.result(diff, () =>
            diff.patch.length === 0
              ? `No differences between versions ${fromVersion} and ${toVersion}.`
              : diff.patch
                  .map((operation) => {
                    const path = operation.path === '' ? '/' : operation.path;
                    const detail =
                      'value' in operation
                        ? ` ${JSON.stringify(operation.value)}`
                        : 'from' in operation
                          ? ` from ${operation.from}`
                          : '';
                    return `${operation.op} ${path}${detail}`;
                  })
                  .join('\n'),
          );
        });
      },
    );
}
