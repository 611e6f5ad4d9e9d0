import type { SessionService } from './session-service.js';

/**
 * Forgets expired sessions every `everyMs` (an unref'd timer: it never keeps the process alive). A failure is told
 * to `onError` and retried at the next tick. Returns the stop function.
 */
export function scheduleSessionPurge(sessions: SessionService, everyMs: number, onError: (error: unknown) => void): () => void {
  if (everyMs <= 0) return () => {};
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sessions
      .purgeExpired()
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
