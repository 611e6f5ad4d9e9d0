import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ValidationError } from '../core/errors.js';
import type { HotEntry } from './hot-tier/hot-tier.js';

const FORMAT = 'ctx-event-contexts-checkpoint';

/**
 * A checkpoint of the hot tier: a JSON Lines file — a header, one line per entry, and a footer with the count and the
 * sha256 of every byte before it. Written to a temporary file, fsynced, then renamed over the previous checkpoint
 * (which is kept as `<path>.prev`), so a crash leaves either the old file or the new one, never half of one.
 */
export function writeCheckpoint(path: string, entries: Iterable<HotEntry>): number {
  const temporary = `${path}.tmp-${process.pid}`;
  const hash = createHash('sha256');
  const descriptor = openSync(temporary, 'w');
  let count = 0;
  try {
    const write = (line: string) => {
      hash.update(line);
      writeSync(descriptor, line);
    };
    write(`${JSON.stringify({ format: FORMAT, v: 1, createdAt: new Date().toISOString() })}\n`);
    for (const entry of entries) {
      write(`${JSON.stringify(entry)}\n`);
      count += 1;
    }
    writeSync(descriptor, `${JSON.stringify({ footer: true, count, sha256: hash.digest('hex') })}\n`);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  if (existsSync(path)) renameSync(path, `${path}.prev`);
  renameSync(temporary, path);
  syncDirectory(dirname(path));
  return count;
}

export async function ensureCheckpointDirectory(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
}

function syncDirectory(directory: string): void {
  try {
    const descriptor = openSync(directory, 'r');
    try {
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
  } catch {
    // some platforms cannot fsync a directory; the rename is still atomic
  }
}

function corrupted(path: string, why: string): ValidationError {
  return new ValidationError(`The checkpoint ${path} is not usable: ${why}.`, { code: 'checkpoint_corrupted' });
}

/** Reads and verifies a checkpoint (format, every line, count and checksum); throws `checkpoint_corrupted` otherwise. */
export function readCheckpoint(path: string): HotEntry[] {
  const text = readFileSync(path, 'utf8');
  if (!text.endsWith('\n')) throw corrupted(path, 'it is truncated');
  const lines = text.slice(0, -1).split('\n');
  const footerLine = lines.pop();
  let footer: { footer?: boolean; count?: number; sha256?: string };
  try {
    footer = JSON.parse(footerLine ?? '') as typeof footer;
  } catch {
    throw corrupted(path, 'its last line is not a footer');
  }
  if (footer.footer !== true) throw corrupted(path, 'its last line is not a footer');
  const hash = createHash('sha256');
  for (const line of lines) hash.update(`${line}\n`);
  if (hash.digest('hex') !== footer.sha256) throw corrupted(path, 'its checksum does not match');
  const [headerLine, ...entryLines] = lines;
  const header = JSON.parse(headerLine ?? '{}') as { format?: string; v?: number };
  if (header.format !== FORMAT || header.v !== 1) throw corrupted(path, 'it is not an event-context checkpoint');
  if (entryLines.length !== footer.count) throw corrupted(path, 'its entry count does not match');
  return entryLines.map((line) => JSON.parse(line) as HotEntry);
}

/** The newest readable checkpoint: `path`, else `<path>.prev`; the problems met on the way. */
export function readNewestCheckpoint(path: string): { entries: HotEntry[]; from: string; problems: string[] } | undefined {
  const problems: string[] = [];
  for (const candidate of [path, `${path}.prev`]) {
    if (!existsSync(candidate)) continue;
    try {
      return { entries: readCheckpoint(candidate), from: candidate, problems };
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return problems.length === 0 ? undefined : { entries: [], from: '', problems };
}
