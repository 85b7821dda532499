// Runs one CLI configure in this process and reports wall time and peak RSS as JSON on stderr's
// last line, so the benchmark can measure each path in a fresh process.
import { performance } from 'node:perf_hooks';
import { main } from '../dist/cli/preflash.mjs';

const t0 = performance.now();
const code = await main(process.argv.slice(2), { stdout: () => {}, stderr: (s) => process.stderr.write(s), env: process.env });
const ms = performance.now() - t0;
// Ended as the CLI ends (src/cli/io.ts, ProcessIo.exit): its wall time is what a user waits.
process.stderr.write(`\n${JSON.stringify({ code, ms, maxRssKiB: process.resourceUsage().maxRSS })}\n`, () => process.exit(code));
