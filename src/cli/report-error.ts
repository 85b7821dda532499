import { isCoreError, type CoreErrorCode } from '../core/index.ts';
import { HostError, UsageError } from './errors.ts';

/** What the CLI user can do about an error, where the core's host-neutral message cannot say it. */
const CLI_HINTS: Partial<Record<CoreErrorCode, string>> = {
  ARCHIVE_AMBIGUOUS: 'Pick it with --member <name>.',
  SPLICE_IMPOSSIBLE: 'With the CLI: -o <name>.img or -o <name>.img.gz.',
};

const ERRNO_TEXT: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'is a directory', ENOTDIR: 'not a folder' };

/**
 * One line on stderr and the exit code: 1 the input, settings or machine (output) is wrong, 2 the
 * command line is, 3 a bug (INTERNAL, or anything unexpected), 130 cancelled. Never a stack trace.
 * `cancelled` is true only when the user's own signal fired: an ABORTED the user did not ask for
 * (a codec whose input was already consumed, say) is a bug, not Ctrl+C.
 */
export function reportError(e: unknown, io: { stderr(text: string): void }, cancelled: boolean): number {
  if (e instanceof UsageError) {
    io.stderr(`preflash: ${e.message} (preflash --help shows the usage)\n`);
    return 2;
  }
  if (isCoreError(e) && e.code === 'ABORTED' && cancelled) {
    io.stderr('preflash: cancelled; nothing was written.\n');
    return 130; // the shell's convention for "ended by SIGINT"
  }
  if (isCoreError(e) && (e.code === 'INTERNAL' || e.code === 'ABORTED')) return internal(e.message, io);
  if (isCoreError(e) || e instanceof HostError) {
    const hint = isCoreError(e) ? CLI_HINTS[e.code] : undefined;
    io.stderr(`preflash: ${oneLine(e.message)}${hint ? ` ${hint}` : ''}\n`);
    return 1;
  }
  const err = e as NodeJS.ErrnoException | undefined;
  if (err && typeof err.code === 'string' && err.path) {
    io.stderr(`preflash: cannot open ${err.path}: ${ERRNO_TEXT[err.code] ?? err.code}\n`);
    return 1;
  }
  return internal(err?.message ?? String(e), io);
}

function internal(message: string, io: { stderr(text: string): void }): number {
  // The first line only: a message that carries a stack (some libraries put one there) is cut.
  io.stderr(`preflash: internal error (please report it): ${message.split('\n')[0].trim()}\n`);
  return 3;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');
