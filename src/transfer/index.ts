export { EXPORT_FORMAT, EXPORT_FORMAT_VERSION } from './export-format.js';
export { type ExportSummary, exportTenant, type ProgressListener, type TransferProgress } from './export-tenant.js';
export { type ImportOptions, type ImportSource, type ImportSummary, importTenant } from './import-tenant.js';
export { exportTenantToFile, importTenantFile } from './transfer-files.js';
export { type ValidatedExport, validateExport } from './validate-export.js';
