import { ConflictError, isContextEngineError } from '../core/errors.js';

/** How often a read-decide-compare-and-set loop tries before giving up. */
export const MAX_ATTEMPTS = 500;

/**
 * Runs `attempt` (read, decide, compare-and-set) until it does not fail with one of `codes`: every write it makes
 * lands on the state it read, so none is lost. After a few collisions it waits a short random time, so that a crowd of
 * writers on one phase spreads out instead of colliding in lockstep.
 */
export async function retryOnConflict<T>(codes: readonly string[], what: string, attempt: () => Promise<T>): Promise<T> {
  for (let attempts = 1; ; attempts += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!isContextEngineError(error) || !codes.includes(error.code)) throw error;
      if (attempts >= MAX_ATTEMPTS) {
        throw new ConflictError(`${what} lost ${MAX_ATTEMPTS} races in a row to concurrent writers; retry later.`, {
          code: 'write_contended',
          cause: error,
        });
      }
      if (attempts > 2) await sleep(Math.random() * Math.min(20, attempts));
    }
  }
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
