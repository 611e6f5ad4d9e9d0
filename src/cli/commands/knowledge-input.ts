import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Readable } from 'node:stream';
import type { KnowledgeItemInput } from '../../knowledge/knowledge-service.js';
import { UsageError } from '../exit-codes.js';

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string, origin: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`Invalid JSON in ${origin}: ${(error as Error).message}`);
  }
}

/** `[items…]`, `{ items: […] }` or one item object. */
function itemsOfJson(value: unknown, origin: string): KnowledgeItemInput[] {
  if (Array.isArray(value)) return value as KnowledgeItemInput[];
  if (typeof value === 'object' && value !== null) {
    const items = (value as { items?: unknown }).items;
    return Array.isArray(items) ? (items as KnowledgeItemInput[]) : [value as KnowledgeItemInput];
  }
  throw new UsageError(`${origin} holds neither an item, an array of items nor { "items": [...] }.`);
}

/**
 * The items in a file: `.json` (an item, an array, or `{ items }`), `.jsonl` (one item per line), `-` (JSON or JSON
 * Lines on stdin), anything else a plain-text document that becomes one item whose id is the file's name.
 */
export async function readKnowledgeFile(path: string, stdin: Readable): Promise<KnowledgeItemInput[]> {
  let text: string;
  try {
    text = path === '-' ? await readAll(stdin) : await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const extension = extname(path).toLowerCase();
  const trimmed = text.trim();
  if (extension === '.jsonl' || (path === '-' && trimmed.startsWith('{') && trimmed.includes('}\n{'))) {
    return trimmed
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, index) => parseJson(line, `${path} line ${index + 1}`) as KnowledgeItemInput);
  }
  if (extension === '.json' || path === '-') return itemsOfJson(parseJson(text, path), path);
  return [{ id: basename(path), text }];
}
