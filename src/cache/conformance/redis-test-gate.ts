import { describe, it } from 'vitest';

/**
 * Runs `body` with `CTX_TEST_REDIS_URL`. Unset: the block is skipped with a console message — except under
 * `CI=true`, where a failing test says the variable is required: Redis tests never silently skip in CI.
 */
export function describeWithRedis(title: string, body: (redisUrl: string) => void): void {
  const redisUrl = process.env.CTX_TEST_REDIS_URL;
  if (redisUrl !== undefined && redisUrl !== '') {
    describe(title, () => body(redisUrl));
    return;
  }
  if (process.env.CI === 'true') {
    describe(title, () => {
      it('needs CTX_TEST_REDIS_URL, which is required under CI=true', () => {
        throw new Error(`CTX_TEST_REDIS_URL is not set, and Redis tests may not be skipped under CI=true (${title}).`);
      });
    });
    return;
  }
  console.warn(`Skipping "${title}": set CTX_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379) to run it.`);
  describe.skip(title, () => body('redis://unset'));
}
