import type { StreamInput, StreamInputType } from '../../core/injection.js';

/** One bit per kind of step, so a compiled rule set indexes its rules by what can make them fire. */
export const STEP_KIND: Readonly<Record<StreamInputType | 'tick', number>> = {
  message: 1,
  'turn-start': 2,
  'turn-end': 4,
  silence: 8,
  'sentence-end': 16,
  ack: 32,
  event: 64,
  state: 128,
  tick: 256,
};
/** Every kind of step. */
export const ALL_STEP_KINDS = 511;
/** The number of distinct step kinds. */
export const STEP_KIND_COUNT = 9;

/** A step of a stream as rules read it: the input (undefined for a tick) and its message text, tokenized once. */
export interface ObservedInput {
  input: StreamInput | undefined;
  /** A STEP_KIND bit. */
  kind: number;
  now: number;
  /** The role of a message; undefined for other inputs. */
  role: 'user' | 'assistant' | 'system' | undefined;
  /** A message's content cut to the tracker's `maxInputChars` (empty for other inputs). */
  text: string;
  /** The words of `text` (see `tokenize`). */
  tokens: readonly string[];
}
