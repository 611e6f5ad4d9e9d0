import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { PhaseVersion, Run } from '../core/run.js';
import { canonicalJson, sha256Hex } from '../updates/content-hash.js';
import { RUN_EXPORT_FORMAT, RUN_EXPORT_FORMAT_VERSION, type RunExport } from './run-export-format.js';

const gzipAsync = promisify(gzip);

/** The export document of a run: its row, every version of every phase, and the checksum of both. */
export function buildRunExport(run: Run, versions: readonly PhaseVersion[], exportedAt: string): RunExport {
  const body = {
    format: RUN_EXPORT_FORMAT,
    formatVersion: RUN_EXPORT_FORMAT_VERSION,
    exportedAt,
    run: structuredClone(run),
    phaseVersions: versions.map(({ phase, version, data, contentHash, sizeBytes, author, createdAt }) => ({
      phase,
      version,
      data,
      contentHash,
      sizeBytes,
      author,
      createdAt,
    })),
  } satisfies Omit<RunExport, 'checksum'>;
  return { ...body, checksum: { algorithm: 'sha256', value: checksumOf(body) } };
}

/** sha256 of the canonical JSON of an export without its checksum. */
export function checksumOf(body: Omit<RunExport, 'checksum'>): string {
  const { format, formatVersion, exportedAt, run, phaseVersions } = body;
  return sha256Hex(canonicalJson({ format, formatVersion, exportedAt, run, phaseVersions } as never));
}

/** The bytes of an export file: JSON, gzip-compressed when `compression` is on. */
export async function encodeRunExport(document: RunExport, compression: boolean): Promise<Buffer> {
  const json = Buffer.from(JSON.stringify(document), 'utf8');
  return compression ? gzipAsync(json, { level: 9 }) : json;
}
