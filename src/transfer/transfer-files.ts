import { createReadStream, createWriteStream } from 'node:fs';
import { access, rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { NotFoundError } from '../core/errors.js';
import type { Engine } from '../engine.js';
import { type ExportSummary, exportTenant, type ProgressListener } from './export-tenant.js';
import { type ImportOptions, type ImportSummary, importTenant } from './import-tenant.js';

/**
 * Exports a tenant to a file: written beside it as `<path>.partial`, flushed, then renamed, so a failed export
 * never leaves a file that looks complete.
 */
export async function exportTenantToFile(
  engine: Engine,
  tenantId: string,
  path: string,
  onProgress?: ProgressListener,
): Promise<ExportSummary> {
  const partial = `${path}.partial`;
  const stream = createWriteStream(partial, { flush: true });
  try {
    const summary = await exportTenant(engine, tenantId, stream, onProgress);
    stream.end();
    await finished(stream);
    await rename(partial, path);
    return summary;
  } catch (error) {
    stream.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}

/** Imports a tenant export file, reading it twice (validate, then write) instead of holding it in memory. */
export async function importTenantFile(engine: Engine, path: string, options: ImportOptions = {}): Promise<ImportSummary> {
  try {
    await access(path);
  } catch (error) {
    throw new NotFoundError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`, {
      code: 'file_not_found',
      cause: error,
    });
  }
  return importTenant(engine, () => createReadStream(path), options);
}
