import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import { contentHashOf } from '../updates/content-hash.js';
import { describeIssues } from '../validation/parse.js';
import {
  type FooterLine,
  footerLineSchema,
  type HeaderLine,
  headerLineSchema,
  type UpdateLine,
  updateLineSchema,
  type VersionLine,
  versionLineSchema,
} from './export-format.js';
import type { ProgressListener } from './export-tenant.js';
import { type ByteSource, type RawLine, readLines } from './read-lines.js';

/** What a valid export holds, as far as the write pass needs it (versions are streamed, not kept). */
export interface ValidatedExport {
  header: HeaderLine;
  footer: FooterLine;
  /** Every update record by id, in file order. */
  updates: Map<string, UpdateLine>;
  /** The ids of the updates that produced a version. */
  versionUpdateIds: Set<string>;
  /** Lines in the file, footer included. */
  lines: number;
}

export interface ValidateOptions {
  /** Called with every version line once it is known to be well-formed (the import keeps them for a one-shot source). */
  onVersion?: ((version: VersionLine) => void) | undefined;
  onProgress?: ProgressListener | undefined;
}

export function invalidExport(message: string): ValidationError {
  return new ValidationError(message, { code: 'invalid_export' });
}

function atLine(line: RawLine, message: string): ValidationError {
  const hint = line.terminated ? '' : ' (the last line is incomplete: the file looks truncated)';
  return invalidExport(`Invalid export file at line ${line.number}: ${message}${hint}`);
}

function parseJson(line: RawLine): unknown {
  try {
    return JSON.parse(line.text);
  } catch (error) {
    throw atLine(line, `not valid JSON (${(error as Error).message})`);
  }
}

function parseAs<Schema extends z.ZodType>(schema: Schema, raw: unknown, line: RawLine, what: string): z.output<Schema> {
  const result = schema.safeParse(raw);
  if (!result.success) throw atLine(line, `invalid ${what}: ${describeIssues(result.error.issues)}`);
  return result.data;
}

/** Checks a version line against the ones before it: key order, contiguous numbers, parent links, content hash. */
class VersionSequence {
  readonly lastVersionOf = new Map<string, number>();
  readonly keyOfUpdate = new Map<string, { key: string; version: number }>();
  #lastKey: string | undefined;

  check(version: VersionLine, line: RawLine): void {
    const previous = this.#lastKey === version.key ? this.lastVersionOf.get(version.key) : undefined;
    if (previous === undefined && this.#lastKey !== undefined && version.key <= this.#lastKey) {
      throw atLine(line, `versions are not in key order (${version.key} after ${this.#lastKey})`);
    }
    const expected = (previous ?? 0) + 1;
    if (version.version !== expected)
      throw atLine(line, `expected version ${expected} of ${version.key}, found ${version.version}`);
    if (version.parentVersion !== (expected === 1 ? null : expected - 1)) {
      throw atLine(line, `version ${expected} of ${version.key} has parentVersion ${version.parentVersion}`);
    }
    if (version.deleted && version.value !== null) throw atLine(line, 'a deleted version must have a null value');
    if (contentHashOf(version.value) !== version.contentHash) {
      throw atLine(line, `the contentHash of version ${expected} of ${version.key} does not match its value`);
    }
    if (this.keyOfUpdate.has(version.updateId)) throw atLine(line, `update ${version.updateId} produced two versions`);
    this.keyOfUpdate.set(version.updateId, { key: version.key, version: version.version });
    this.lastVersionOf.set(version.key, version.version);
    this.#lastKey = version.key;
  }
}

function checkReferences(sequence: VersionSequence, updates: Map<string, UpdateLine>): void {
  for (const [updateId, { key, version }] of sequence.keyOfUpdate) {
    const update = updates.get(updateId);
    if (update === undefined)
      throw invalidExport(`Invalid export file: version ${version} of ${key} names update ${updateId}, which is not in the file`);
    if (update.key !== key || update.appliedVersion !== version) {
      throw invalidExport(`Invalid export file: update ${updateId} does not match version ${version} of ${key}`);
    }
  }
  for (const update of updates.values()) {
    if (update.appliedVersion !== undefined && update.appliedVersion > (sequence.lastVersionOf.get(update.key) ?? 0)) {
      throw invalidExport(
        `Invalid export file: update ${update.id} applied version ${update.appliedVersion} of ${update.key}, which is not in the file`,
      );
    }
  }
}

/**
 * Reads a whole export and checks it before anything is written: header first, versions then updates, the footer
 * last with matching counts and sha256, every line valid against its zod schema, versions contiguous and
 * consistent with their updates. Throws ValidationError `invalid_export` naming the first problem.
 */
export async function validateExport(source: ByteSource, options: ValidateOptions = {}): Promise<ValidatedExport> {
  const hash = createHash('sha256');
  const sequence = new VersionSequence();
  const updates = new Map<string, UpdateLine>();
  let header: HeaderLine | undefined;
  let footer: FooterLine | undefined;
  let section: 'versions' | 'updates' = 'versions';
  let versions = 0;
  let lines = 0;

  for await (const line of readLines(source)) {
    lines = line.number;
    if (footer !== undefined) throw atLine(line, 'there is content after the footer');
    const raw = parseJson(line);
    const type = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as { type?: unknown }).type : undefined;
    if (header === undefined) {
      if (type !== 'header')
        throw atLine(line, 'the first line must be the export header; is this a context-engine tenant export?');
      header = parseAs(headerLineSchema, raw, line, 'header');
    } else if (type === 'version') {
      if (section !== 'versions') throw atLine(line, 'a version line after the update lines');
      const version = parseAs(versionLineSchema, raw, line, 'version line');
      if (version.tenantId !== header.tenant.id)
        throw atLine(line, `the version belongs to tenant ${version.tenantId}, not ${header.tenant.id}`);
      sequence.check(version, line);
      options.onVersion?.(version);
      versions += 1;
    } else if (type === 'update') {
      section = 'updates';
      const update = parseAs(updateLineSchema, raw, line, 'update line');
      if (update.tenantId !== header.tenant.id)
        throw atLine(line, `the update belongs to tenant ${update.tenantId}, not ${header.tenant.id}`);
      if (updates.has(update.id)) throw atLine(line, `update ${update.id} appears twice`);
      updates.set(update.id, update);
    } else if (type === 'footer') {
      footer = parseAs(footerLineSchema, raw, line, 'footer');
      const actual = hash.digest('hex');
      if (footer.sha256 !== actual) {
        throw invalidExport(
          `The export file is corrupted: its content hashes to ${actual}, but the footer says ${footer.sha256}`,
        );
      }
      if (footer.versions !== versions || footer.updates !== updates.size) {
        throw invalidExport(
          `The export file is incomplete: the footer counts ${footer.versions} versions and ${footer.updates} updates, the file holds ${versions} and ${updates.size}`,
        );
      }
      continue;
    } else {
      throw atLine(line, `unknown line type ${JSON.stringify(type)}`);
    }
    hash.update(line.bytes);
    options.onProgress?.({ phase: 'validate', done: line.number, total: undefined });
  }

  if (header === undefined) throw invalidExport('The export file is empty');
  if (footer === undefined) {
    throw invalidExport(`The export file is truncated: it ends at line ${lines} without its footer line`);
  }
  checkReferences(sequence, updates);
  return { header, footer, updates, versionUpdateIds: new Set(sequence.keyOfUpdate.keys()), lines };
}
