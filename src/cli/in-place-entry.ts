/**
 * A plain raw `configure --in-place` — the command whose start-up issue 7 times — as one file of
 * the bundle (dist/cli/in-place.mjs): Node's ESM loader resolves, reads and compiles one module for
 * the whole command instead of the chunks of the split build. entry.ts imports it only for that
 * command line, so the other commands (the compressed outputs above all) do not read or compile it.
 */
import { runConfigure } from './commands/configure.ts';
import type { ParsedArgs } from './flags.ts';
import type { CliIo } from './io.ts';
import { reportError } from './report-error.ts';

export async function runInPlace(args: ParsedArgs<'configure'>, io: CliIo): Promise<number> {
  try {
    return await runConfigure(args, io);
  } catch (e) {
    io.progress?.done();
    return reportError(e, io, io.signal?.aborted === true);
  }
}
