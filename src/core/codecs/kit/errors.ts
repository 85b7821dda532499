import { CoreError, isCoreError } from '../../errors.ts';

/**
 * The errors every codec reports the same way (README "Errors"). A codec never builds these codes
 * by hand, so a truncated .gz, .zip or .xz gives the same code and reason.
 */

/** The input ends inside `what` (at input byte `offset`): ARCHIVE_CORRUPT, reason "truncated". */
export function truncated(what: string, offset: number): CoreError {
  return new CoreError('ARCHIVE_CORRUPT', `The archive ends early, inside ${what} (at byte ${offset}): it is truncated.`, {
    offset,
    reason: 'truncated',
  });
}

/** The input's own structures or checks disagree: ARCHIVE_CORRUPT with a sentence naming what. */
export function corrupt(message: string, detail: Record<string, unknown> = {}): CoreError {
  return new CoreError('ARCHIVE_CORRUPT', message, { reason: 'corrupt', ...detail });
}

/** The output sink failed (disk full, stream closed): not the input's fault. */
export function outputFailed(cause: unknown): CoreError {
  if (isCoreError(cause) && (cause.code === 'ABORTED' || cause.code === 'OUTPUT_FAILED')) return cause;
  return new CoreError('OUTPUT_FAILED', `Writing the output failed: ${describe(cause)}.`, { cause });
}

/** Anything that is not a CoreError by the time it leaves a codec is a bug: INTERNAL, never a raw stack. */
export function asCoreError(e: unknown): CoreError {
  if (isCoreError(e)) return e;
  return new CoreError('INTERNAL', `Internal error in the codec: ${describe(e)}.`, { cause: e });
}

export function hex32(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** `p` with any non-CoreError turned into INTERNAL: what every codec operation returns to hosts. */
export function guard<T>(p: Promise<T>): Promise<T> {
  return p.catch((e: unknown) => {
    throw asCoreError(e);
  });
}
