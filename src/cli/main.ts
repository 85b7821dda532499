/**
 * `preflash` — the command-line shell over src/core. Argument parsing, exit codes and the one-line
 * error on stderr live here; every decision about images lives in the core. Each command is
 * imported when it runs (the bundle is split), so a command loads only the code it uses. In the
 * bundle, entry.ts runs a plain raw `configure --in-place` itself and hands every other command
 * line to this main.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError } from './errors.ts';
import { isCommand, parseFlags } from './flags.ts';
import { processIo, type CliIo } from './io.ts';
import { reportError } from './report-error.ts';

export { processIo };

export const USAGE = `Usage:
  preflash inspect <image> [--json] [--member <name>]
  preflash configure <image> --settings <settings.json | -> [--device <slug>] (-o <out | -> | --in-place)
                     [--format same|img|gz] [--member <name>] [--verify-input] [--sync] [--quiet]
  preflash bundle --settings <settings.json | -> --device <slug> -o <bundle.zip> [--sync]
  preflash devices [--json]

Images may be .img, .img.gz, .img.zip or .img.xz (detected from their bytes). The output's name
says its format (.img, .img.gz, or the input's own); -o - writes to standard output.
--sync waits until the output is on the disk (like gzip --synchronous); --in-place always does.
SOURCE_DATE_EPOCH, when set, is the timestamp of every file written (reproducible output).
PREFLASH_INFLATE=pako inflates .gz/.zip inputs with pako instead of Node's zlib (same output).`;

/** Exit codes: 0 done, 1 the input, settings or output is wrong (message says what), 2 usage, 3 internal error, 130 cancelled. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      io.stdout(USAGE + '\n');
      return command === undefined ? 2 : 0;
    }
    if (!isCommand(command)) throw new UsageError(`unknown command '${command}'`);
    switch (command) {
      case 'inspect':
        return await (await import('./commands/inspect.ts')).runInspect(parseFlags(command, rest), io);
      case 'configure':
        return await (await import('./commands/configure.ts')).runConfigure(parseFlags(command, rest), io);
      case 'bundle':
        return await (await import('./commands/bundle.ts')).runBundle(parseFlags(command, rest), io);
      case 'devices':
        return await (await import('./commands/devices.ts')).runDevices(parseFlags(command, rest), io);
    }
  } catch (e) {
    io.progress?.done();
    return reportError(e, io, io.signal?.aborted === true);
  }
}

// Run when executed directly (the bundled dist/cli/preflash.mjs or tsx), not when imported by tests.
const entry = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (entry && entry === realpathSync(fileURLToPath(import.meta.url))) {
  main(process.argv.slice(2), processIo()).then((code) => {
    process.exitCode = code;
  });
}
