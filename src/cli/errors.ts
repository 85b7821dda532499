import { CoreError } from '../core/index.ts';

/** A mistake in the command line itself (exit 2), as opposed to a problem with the image or settings. */
export class UsageError extends Error {}

/** A problem of this machine rather than of the image: an output folder that is missing, say (exit 1). */
export class HostError extends Error {}

const ERRNO_TEXT: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large (for the filesystem, or over this process’s file size limit)',
  EIO: 'input/output error',
  EROFS: 'the filesystem is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EPIPE: 'the reader closed the pipe',
};

/**
 * The output could not be written (a full disk, a closed pipe): OUTPUT_FAILED naming the output,
 * never mistaken for a problem with the input. A CoreError passes through unchanged.
 */
export function outputFailed(name: string, cause: unknown): CoreError {
  if (cause instanceof CoreError) return cause;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const why = (code && ERRNO_TEXT[code]) ?? (code || (cause as Error | undefined)?.message || String(cause));
  return new CoreError('OUTPUT_FAILED', `Cannot write ${name}: ${why}.`, { output: name, errno: code });
}
