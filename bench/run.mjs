// `npm run bench`: runs each benchmark in its own process and prints its figures (medians) and ratios.
import { execFileSync } from 'node:child_process';

const suites =
  process.argv.slice(2).length > 0
    ? process.argv.slice(2)
    : ['store', 'http', 'scale-out', 'events', 'knowledge', 'assembly', 'runs', 'injection-rules', 'injection'];
process.stdout.write(`Context Engine benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
for (const suite of suites) {
  process.stdout.write(`\n## ${suite}\n`);
  execFileSync(process.execPath, [`bench/${suite}.mjs`], { stdio: 'inherit' });
}
