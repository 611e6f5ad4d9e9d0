// A separate process writing phases of one run, for the multi-process tests: it opens its own engine on the
// database URL it is given (built dist/), and from `writers` concurrent loops merges `count` distinct keys into the
// shared phase and replaces its own phase `count` times. Prints one JSON line with what it wrote.
import { createEngine } from '../../../dist/index.js';

const { databaseUrl, tenantId, runId, name, count, writers, sharedPhase, ownPhase } = JSON.parse(process.argv[2] ?? '{}');
const engine = await createEngine({ databaseUrl, runs: { sweepIntervalSeconds: 0 } });
let merges = 0;
let replacements = 0;
try {
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let index = writer; index < count; index += writers) {
        await engine.runs.patchPhase(tenantId, runId, sharedPhase, { [`${name}-${index}`]: index }, { author: name });
        merges += 1;
        await engine.runs.writePhase(tenantId, runId, ownPhase, { by: name, index }, { author: name });
        replacements += 1;
      }
    }),
  );
  process.stdout.write(`${JSON.stringify({ name, merges, replacements })}\n`);
} finally {
  await engine.close();
}
