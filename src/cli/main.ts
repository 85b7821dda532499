/**
 * `preflash` — the command-line shell over src/core. Argument parsing, exit codes and the one-line
 * error on stderr live here; every decision about images lives in the core.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isCoreError, type CoreErrorCode } from '../core/errors.ts';
import { HostError, UsageError } from './errors.ts';
import { runBundle } from './commands/bundle.ts';
import { runConfigure } from './commands/configure.ts';
import { runDevices } from './commands/devices.ts';
import { runInspect } from './commands/inspect.ts';
import { processIo, type CliIo } from './io.ts';

export { processIo };

export const USAGE = `Usage:
  preflash inspect <image> [--json] [--member <name>]
  preflash configure <image> --settings <settings.json | -> [--device <slug>] (-o <out> | --in-place)
                     [--format same|img|gz] [--member <name>] [--verify-input] [--quiet]
  preflash bundle --settings <settings.json> --device <slug> -o <bundle.zip>
  preflash devices [--json]

Images may be .img, .img.gz, .img.zip or .img.xz (detected from their bytes).
SOURCE_DATE_EPOCH, when set, is the timestamp of every file written (reproducible output).`;

/** Exit codes: 0 done, 1 the input or settings are wrong (message says what), 2 usage, 3 internal error, 130 cancelled. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'inspect':
        return await runInspect(parse(rest, { json: { type: 'boolean' }, member: { type: 'string' } }), io);
      case 'configure':
        return await runConfigure(
          parse(rest, {
            settings: { type: 'string' },
            device: { type: 'string' },
            output: { type: 'string', short: 'o' },
            'in-place': { type: 'boolean' },
            format: { type: 'string' },
            member: { type: 'string' },
            'verify-input': { type: 'boolean' },
            quiet: { type: 'boolean', short: 'q' },
          }),
          io,
        );
      case 'bundle':
        return await runBundle(parse(rest, { settings: { type: 'string' }, device: { type: 'string' }, output: { type: 'string', short: 'o' } }), io);
      case 'devices':
        return await runDevices(parse(rest, { json: { type: 'boolean' } }), io);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(USAGE + '\n');
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    return reportError(e, io);
  }
}

/** What the CLI user can do about an error, where the core's host-neutral message cannot say it. */
const CLI_HINTS: Partial<Record<CoreErrorCode, string>> = {
  ARCHIVE_AMBIGUOUS: 'Pick it with --member <name>.',
  SPLICE_IMPOSSIBLE: 'With the CLI: -o <name>.img or -o <name>.img.gz.',
};

export interface ParsedArgs {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

function parse(args: string[], options: ParseArgsConfig['options']): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
}

function reportError(e: unknown, io: CliIo): number {
  if (e instanceof UsageError) {
    io.stderr(`preflash: ${e.message} (preflash --help shows the usage)\n`);
    return 2;
  }
  if (isCoreError(e) && e.code === 'ABORTED') {
    io.stderr('preflash: cancelled; nothing was written.\n');
    return 130; // the shell's convention for "ended by SIGINT"
  }
  if (isCoreError(e) || e instanceof HostError) {
    const hint = isCoreError(e) ? CLI_HINTS[e.code] : undefined;
    io.stderr(`preflash: ${e.message}${hint ? ` ${hint}` : ''}\n`);
    return 1;
  }
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && err.path) {
    const what = err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'is a directory' : err.code;
    io.stderr(`preflash: cannot open ${err.path}: ${what}\n`);
    return 1;
  }
  io.stderr(`preflash: internal error: ${err?.message ?? String(e)}\n`);
  return 3;
}

// Run when executed directly (the bundled dist/cli/preflash.mjs or tsx), not when imported by tests.
const entry = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (entry && entry === realpathSync(fileURLToPath(import.meta.url))) {
  main(process.argv.slice(2), processIo()).then((code) => {
    process.exitCode = code;
  });
}
