import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { ValidationError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import { isFinishedRunStatus } from '../core/run.js';
import { canonicalJson, sha256Hex } from '../updates/content-hash.js';
import { describeIssues } from '../validation/parse.js';
import { checksumOf } from './run-export.js';
import { RUN_EXPORT_FORMAT, RUN_EXPORT_FORMAT_VERSION, type RunExport, runExportSchema } from './run-export-format.js';

const gunzipAsync = promisify(gunzip);

export function invalidRunExport(message: string): ValidationError {
  return new ValidationError(message, { code: 'invalid_run_export' });
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

async function decompress(bytes: Uint8Array, maxBytes: number): Promise<Buffer> {
  if (!isGzip(bytes)) {
    if (bytes.length > maxBytes)
      throw invalidRunExport(`The run export is ${bytes.length} bytes; the limit is ${maxBytes} bytes.`);
    return Buffer.from(bytes);
  }
  try {
    return await gunzipAsync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw invalidRunExport(`The run export decompresses to more than ${maxBytes} bytes (the limit).`);
    }
    if (code === 'Z_BUF_ERROR') throw invalidRunExport('The run export is truncated: its gzip stream ends too early.');
    throw invalidRunExport(`The run export is corrupted: ${(error as Error).message} (gzip).`);
  }
}

function parseDocument(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidRunExport(
      `The run export is not valid JSON (${(error as Error).message}): it is corrupted or not a run export.`,
    );
  }
}

/**
 * Reads and checks a run export completely before anything is written: gzip (or plain JSON), format and version,
 * every field against its schema, the checksum, then the consistency of the phase versions with the run (contiguous
 * versions from 1, content hashes and sizes matching the data, only phases the run has). Throws ValidationError
 * `invalid_run_export` naming the first problem.
 */
export async function decodeRunExport(bytes: Uint8Array, maxBytes: number): Promise<RunExport> {
  if (bytes.length === 0) throw invalidRunExport('The run export is empty.');
  const text = (await decompress(bytes, maxBytes)).toString('utf8');
  const raw = parseDocument(text);
  const format = typeof raw === 'object' && raw !== null ? (raw as { format?: unknown; formatVersion?: unknown }) : {};
  if (format.format !== RUN_EXPORT_FORMAT) {
    throw invalidRunExport(
      `This is not a run export: its format is ${JSON.stringify(format.format)}, not "${RUN_EXPORT_FORMAT}".`,
    );
  }
  if (format.formatVersion !== RUN_EXPORT_FORMAT_VERSION) {
    throw invalidRunExport(
      `The run export has format version ${JSON.stringify(format.formatVersion)}; this engine reads version ${RUN_EXPORT_FORMAT_VERSION}.`,
    );
  }
  const parsed = runExportSchema.safeParse(raw);
  if (!parsed.success) throw invalidRunExport(`The run export is malformed: ${describeIssues(parsed.error.issues)}`);
  const document = parsed.data;
  if (checksumOf(document) !== document.checksum.value) {
    throw invalidRunExport('The run export was modified or corrupted: its content does not match its sha256 checksum.');
  }
  checkConsistency(document);
  return document;
}

function checkConsistency({ run, phaseVersions }: RunExport): void {
  if (isFinishedRunStatus(run.status) !== (run.finishedAt !== null)) {
    throw invalidRunExport(`The run export is inconsistent: a ${run.status} run with finishedAt ${run.finishedAt}.`);
  }
  if (run.currentPhase !== null && !run.phaseNames.includes(run.currentPhase)) {
    throw invalidRunExport(`The run export is inconsistent: the current phase "${run.currentPhase}" is not one of its phases.`);
  }
  const next = new Map<string, number>();
  for (const version of phaseVersions) {
    const where = `version ${version.version} of phase "${version.phase}"`;
    if (!run.phaseNames.includes(version.phase))
      throw invalidRunExport(`The run export holds ${where}, a phase the run does not have.`);
    const expected = next.get(version.phase) ?? 1;
    if (version.version !== expected) {
      throw invalidRunExport(
        `The run export is inconsistent: expected version ${expected} of phase "${version.phase}", found ${version.version}.`,
      );
    }
    next.set(version.phase, expected + 1);
    const text = canonicalJson(version.data as JsonValue);
    if (sha256Hex(text) !== version.contentHash || Buffer.byteLength(text, 'utf8') !== version.sizeBytes) {
      throw invalidRunExport(`The run export is inconsistent: the content hash or size of ${where} does not match its data.`);
    }
  }
}
