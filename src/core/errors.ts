/**
 * Every failure the core can report carries a stable code, and every code here is thrown somewhere
 * in src/core (tests/unit/pipeline/error-codes.test.ts checks both ways). Hosts (CLI, worker, app) map codes to
 * user text; `message` is already a complete one-line English sentence naming the problem, so a
 * host that has nothing better can print it as is.
 */
export type CoreErrorCode =
  // byte I/O
  | 'IO_OUT_OF_RANGE' // a read or write past the end of a source
  | 'IO_TRUNCATED' // the image or archive ends before its own structures say it should
  | 'ABORTED' // the caller's AbortSignal fired: the user cancelled, nothing else
  | 'OUTPUT_FAILED' // the output could not be written (disk full, sink closed or failed): not the input's fault
  | 'INTERNAL' // a bug: an invariant the core relies on did not hold, e.g. an input read again after a write consumed it
  // partition tables
  | 'PARTITION_TABLE_INVALID' // no MBR/GPT signature and no whole-disk FAT
  | 'GPT_CRC_MISMATCH' // header or entry-array CRC wrong (and no good backup)
  | 'PARTITION_OVERLAP'
  | 'PARTITION_PAST_END' // a partition lies past the end of the image
  | 'BOOT_PARTITION_NOT_FOUND'
  // FAT
  | 'FAT_INVALID' // boot sector / BPB not a FAT filesystem we can trust
  | 'FAT_DIRTY' // volume marked dirty (not cleanly unmounted)
  | 'FAT_CORRUPT' // looping or cross-linked chains, clusters out of range, bad directory entries
  | 'FAT_NO_SPACE' // no free clusters left
  | 'FAT_ROOT_FULL' // FAT12/16 fixed root directory full
  | 'FAT_NOT_FOUND'
  | 'FAT_EXISTS'
  | 'FAT_NOT_A_DIRECTORY'
  | 'FAT_IS_A_DIRECTORY'
  | 'FAT_DIRECTORY_NOT_EMPTY'
  | 'FAT_BAD_NAME'
  | 'FAT_UNSUPPORTED'
  | 'SELF_CHECK_FAILED' // the written result did not read back as intended
  // settings and catalogue
  | 'SETTINGS_INVALID'
  | 'DEVICE_UNKNOWN'
  // compressed formats
  | 'FORMAT_UNKNOWN'
  | 'ARCHIVE_CORRUPT' // wrong CRC, bad headers, truncated
  | 'ARCHIVE_UNSUPPORTED' // encrypted zip member, nested compression, unknown method
  | 'ARCHIVE_NO_IMAGE'
  | 'ARCHIVE_AMBIGUOUS' // several candidate images: the user must choose
  | 'SPLICE_IMPOSSIBLE';

export class CoreError extends Error {
  readonly code: CoreErrorCode;
  /** Machine-readable extras (field path, partition index, offsets…). */
  readonly detail: Record<string, unknown>;

  constructor(code: CoreErrorCode, message: string, detail: Record<string, unknown> = {}) {
    super(oneLine(message));
    this.name = 'CoreError';
    this.code = code;
    this.detail = detail;
  }
}

/**
 * `text` with its control characters (C0, DEL, C1, and the Unicode line and paragraph separators)
 * written as escapes: every CoreError message is one line, and one that quotes bytes read from an
 * input (a zip member's name, a GPT partition name) can neither break a log line nor move a
 * terminal's cursor.
 */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/**
 * A name read from the input, as a message or warning shows it: control characters escaped
 * (`oneLine`) and at most `max` characters of it (a damaged zip header can claim 64 KiB of name).
 */
export function shownName(name: string, max = 80): string {
  return oneLine(name.length <= max ? name : `${name.slice(0, max - 1)}… (${name.length} characters)`);
}

export function isCoreError(e: unknown): e is CoreError {
  return e instanceof CoreError;
}

/** Throws ABORTED if the signal has fired; call between units of work. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CoreError('ABORTED', 'The operation was cancelled.');
}
