import type { AssemblyLayer, ManifestReason } from '../core/assembly.js';
import type { RenderItem } from './render.js';
import type { SelectionCandidate } from './select-items.js';

/** A candidate item of one assembly: its identity, its selection figures and the item to render. */
export interface AssemblyCandidate extends SelectionCandidate {
  layer: AssemblyLayer;
  id: string;
  version?: number | undefined;
  createdAt?: string | undefined;
  /** Undefined for documents that could not be read (then `unavailable` says why). */
  item?: RenderItem | undefined;
  unavailable?: Extract<ManifestReason, 'not_found' | 'deleted'> | undefined;
}
