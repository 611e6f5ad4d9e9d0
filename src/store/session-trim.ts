import type { SessionMessage } from '../core/session-message.js';
import type { SessionLimits } from './session-store.js';

/**
 * How many of the oldest messages (oldest first) a session drops: keep at most `maxMessages`, then drop the oldest
 * while the kept ones hold more than `maxTokens` o200k_base tokens. Shared by every backend.
 */
export function countToDrop(messages: ReadonlyArray<Pick<SessionMessage, 'tokens'>>, limits: SessionLimits): number {
  let kept = 0;
  let tokens = 0;
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const next = tokens + (messages[index]?.tokens.o200k_base ?? 0);
    if (kept >= limits.maxMessages || next > limits.maxTokens) break;
    kept += 1;
    tokens = next;
  }
  return messages.length - kept;
}

/** When a session written at `now` expires. */
export function expiryOf(now: string, ttlMs: number): string {
  return new Date(Date.parse(now) + ttlMs).toISOString();
}
