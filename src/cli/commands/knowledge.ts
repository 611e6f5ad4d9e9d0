import { type Command, InvalidArgumentError, Option } from 'commander';
import type { JsonObject } from '../../core/json.js';
import type { KnowledgeFilter, KnowledgeItemInput } from '../../knowledge/knowledge-service.js';
import { UsageError } from '../exit-codes.js';
import { isoTimestamp, positiveInteger } from '../parse-arguments.js';
import type { CliRuntime } from '../runtime.js';
import { readKnowledgeFile } from './knowledge-input.js';

interface AddOptions {
  text?: string | undefined;
  id?: string | undefined;
  metadata?: JsonObject | undefined;
  milestone?: string | undefined;
  createdAt?: string | undefined;
  batchSize: number;
}

interface SearchOptions {
  topK?: number | undefined;
  threshold?: number | undefined;
  mode?: 'hybrid' | 'lexical' | 'vector' | undefined;
  filter?: KnowledgeFilter | undefined;
}

function jsonObject(raw: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new InvalidArgumentError(`expected a JSON object: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidArgumentError('expected a JSON object');
  return value as JsonObject;
}

function unitInterval(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new InvalidArgumentError(`expected a number from 0 to 1, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function registerKnowledge(program: Command, runtime: CliRuntime): void {
  const knowledge = program.command('knowledge').description('the knowledge layer: add, search and remove items');

  knowledge
    .command('add <tenant> [files...]')
    .description('add or replace items: --text, or files (.json item/array/{items}, .jsonl, plain text = one item, - = stdin)')
    .option('--text <text>', 'one item with this text')
    .option('--id <id>', 'the id of the --text item (default: generated)')
    .option('--metadata <json>', 'metadata of the --text item', jsonObject)
    .option('--milestone <id>', 'milestone of the --text item')
    .option('--created-at <iso>', 'creation time of the --text item', isoTimestamp)
    .option('--batch-size <n>', 'items written per transaction', positiveInteger, 500)
    .action(async (tenantId: string, files: string[], options: AddOptions, command: Command) => {
      const items: KnowledgeItemInput[] = [];
      if (options.text !== undefined) {
        items.push({
          text: options.text,
          ...(options.id === undefined ? {} : { id: options.id }),
          ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
          ...(options.milestone === undefined ? {} : { milestone: options.milestone }),
          ...(options.createdAt === undefined ? {} : { createdAt: options.createdAt }),
        });
      } else if (
        options.id !== undefined ||
        options.metadata !== undefined ||
        options.milestone !== undefined ||
        options.createdAt !== undefined
      ) {
        throw new UsageError('--id, --metadata, --milestone and --created-at describe the --text item; files carry their own.');
      }
      for (const file of files) items.push(...(await readKnowledgeFile(file, runtime.io.stdin)));
      if (items.length === 0) throw new UsageError('Nothing to add: pass --text or files.');
      await runtime.withEngine(command, async (engine, output) => {
        const added: { id: string; chunks: number; tokens: number }[] = [];
        let generation = 0;
        const showProgress = runtime.io.stderrIsTTY && !output.json && items.length > options.batchSize;
        for (let start = 0; start < items.length; start += options.batchSize) {
          const result = await engine.knowledge.add(tenantId, items.slice(start, start + options.batchSize));
          added.push(...result.items);
          generation = result.generation;
          if (showProgress) runtime.io.stderr.write(`\radded ${added.length}/${items.length} items`);
        }
        if (showProgress) runtime.io.stderr.write('\n');
        output.result({ items: added, generation }, () => {
          const chunks = added.reduce((sum, item) => sum + item.chunks, 0);
          const tokens = added.reduce((sum, item) => sum + item.tokens, 0);
          return `added ${added.length} item${added.length === 1 ? '' : 's'} (${chunks} chunks, ${tokens} tokens); generation ${generation}`;
        });
      });
    });

  knowledge
    .command('search <tenant> <query>')
    .description('search knowledge (hybrid by default)')
    .option('--top-k <n>', 'most results', positiveInteger)
    .option('--threshold <score>', 'least score, 0-1', unitInterval)
    .addOption(new Option('--mode <mode>', 'ranking').choices(['hybrid', 'lexical', 'vector']))
    .option('--filter <json>', 'metadata filter, e.g. \'{"region":"eu","year":{"gte":2024}}\'', jsonObject)
    .action(async (tenantId: string, query: string, options: SearchOptions, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const { results } = await engine.knowledge.search(tenantId, {
          query,
          topK: options.topK,
          threshold: options.threshold,
          mode: options.mode,
          filter: options.filter,
        });
        output.result({ results }, () =>
          results.length === 0
            ? 'No results.'
            : results
                .map((result) => {
                  const text = result.text.replace(/\s+/g, ' ');
                  return `${result.score.toFixed(3)}  ${result.chunkId ?? result.id}  ${text.length > 100 ? `${text.slice(0, 99)}…` : text}`;
                })
                .join('\n'),
        );
      });
    });

  knowledge
    .command('remove <tenant> <id>')
    .description('remove an item and its chunks')
    .action(async (tenantId: string, id: string, _options: unknown, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const result = await engine.knowledge.remove(tenantId, id);
        output.result(result, () => `removed ${result.id} (${result.removed} chunks); generation ${result.generation}`);
      });
    });
}
