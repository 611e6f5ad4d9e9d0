import type { SyncPoint } from '../../core/injection.js';

/**
 * A moment at which buffered injections may be released, as the sync-point tracker reports it:
 * - `turn-end`: a turn just ended (or a whole message arrived outside any turn);
 * - `silence`: a silence long enough, outside a turn;
 * - `sentence-end`: a sentence ended or a pause happened inside a turn;
 * - `idle`: no turn is in progress and nothing else happened (e.g. an injection arrives between turns).
 */
export const RELEASE_POINTS = ['turn-end', 'silence', 'sentence-end', 'idle'] as const;
export type ReleasePoint = (typeof RELEASE_POINTS)[number];

/**
 * Which injections a release point lets out, by their `at`:
 *
 * | point          | immediate | turn-end | silence |
 * |----------------|-----------|----------|---------|
 * | `turn-end`     | yes       | yes      | no      |
 * | `silence`      | yes       | yes      | yes     |
 * | `sentence-end` | yes       | no       | no      |
 * | `idle`         | yes       | no       | no      |
 *
 * A silence between turns follows a turn end, so it also releases `turn-end` items; a turn end does not
 * release `silence` items (they wait for a real pause).
 */
export function releases(point: ReleasePoint, at: SyncPoint): boolean {
  switch (point) {
    case 'turn-end':
      return at !== 'silence';
    case 'silence':
      return true;
    case 'sentence-end':
    case 'idle':
      return at === 'immediate';
    default: {
      const _exhaustive: never = point;
      return _exhaustive;
    }
  }
}
