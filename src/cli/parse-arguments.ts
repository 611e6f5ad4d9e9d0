import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { InvalidArgumentError } from 'commander';
import type { JsonValue } from '../core/json.js';
import { UsageError } from './exit-codes.js';

/** commander argument parser: a whole number ≥ 1 (versions, ports are checked elsewhere). */
export function positiveInteger(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(`expected a whole number from 1, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function port(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value > 65535)
    throw new InvalidArgumentError(`expected a port from 0 to 65535, got ${JSON.stringify(raw)}`);
  return value;
}

export function confidence(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new InvalidArgumentError(`expected a number from 0 to 1, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function isoTimestamp(raw: string): string {
  if (Number.isNaN(Date.parse(raw)) || !/^\d{4}-\d{2}-\d{2}/.test(raw)) {
    throw new InvalidArgumentError(`expected an ISO-8601 date-time such as 2025-01-31T12:00:00Z, got ${JSON.stringify(raw)}`);
  }
  return raw;
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** A value argument: inline JSON, `@path` (a JSON file) or `@-` (JSON on stdin). Bad JSON is a usage error. */
export async function readJsonArgument(argument: string, stdin: Readable): Promise<JsonValue> {
  let text = argument;
  let origin = 'the value argument';
  if (argument.startsWith('@')) {
    const path = argument.slice(1);
    origin = path === '-' ? 'stdin' : path;
    try {
      text = path === '-' ? await readAll(stdin) : await readFile(path, 'utf8');
    } catch (error) {
      throw new UsageError(`Cannot read ${origin}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new UsageError(`Invalid JSON in ${origin}: ${(error as Error).message}`);
  }
}
