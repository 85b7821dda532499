/**
 * The bundle's entry point (dist/cli/preflash.mjs), small on purpose: it only tells the two
 * builds apart. A plain raw `configure --in-place` — the command whose start-up issue 7 times —
 * runs from one more file, in-place-entry.ts (dist/cli/in-place.mjs: one module to resolve and
 * compile instead of the sixteen chunks the split build gave it). Every other command line (other
 * commands, -o, --device, --help, a line that does not parse) is handed whole, before anything is
 * read, to main.ts, which the build splits into chunks loaded on demand — without reading or
 * compiling the in-place file (~110 KB) first.
 *
 * Both builds share one copy of the error classes (dist/cli/errors.mjs), so an error thrown by
 * either is recognised by the other's `instanceof` (scripts/build-cli.mjs).
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFlags, type ParsedArgs } from './flags.ts';
import { processIo, type CliIo } from './io.ts';

export { processIo };

export async function main(argv: string[], io: CliIo): Promise<number> {
  const args = plainInPlace(argv);
  if (!args) return (await import('./main.ts')).main(argv, io);
  return (await import('./in-place-entry.ts')).runInPlace(args, io);
}

/** `configure … --in-place` without --device (which loads the catalogue), parsed; undefined for anything else. */
function plainInPlace(argv: string[]): ParsedArgs<'configure'> | undefined {
  if (argv[0] !== 'configure') return undefined;
  let args: ParsedArgs<'configure'>;
  try {
    args = parseFlags('configure', argv.slice(1));
  } catch {
    return undefined; // main.ts reports it
  }
  return args.values['in-place'] === true && args.values.device === undefined ? args : undefined;
}

// Run when executed directly (`node dist/cli/preflash.mjs …`), not when imported (bin/preflash.js, tests).
const entry = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (entry && entry === realpathSync(fileURLToPath(import.meta.url))) {
  const io = processIo();
  main(process.argv.slice(2), io).then((code) => io.exit(code));
}
