/**
 * What the user can do about a failure: the core's message names the problem (errors.ts); this
 * adds the way forward, by error code, for the step where it shows. Also the browser's own save
 * failures (a full disk, a temporary file the browser removed), which carry no core code.
 */
import type { CoreErrorCode } from '#core/index.ts';

export interface Problem {
  /** The core's (or the browser's) sentence naming the problem. */
  message: string;
  code?: CoreErrorCode | string;
  /** What to do next, when there is something to do. */
  help?: string;
}

const REDOWNLOAD = 'The file is damaged or was not downloaded completely: download the image again, then choose the new file here.';
const NOT_AN_IMAGE = 'Choose the balenaOS image itself (.img, .img.gz, .img.zip or .img.xz), as downloaded from balena.io/os or your balenaCloud dashboard.';

const HELP: Partial<Record<CoreErrorCode, string>> = {
  PARTITION_TABLE_INVALID: NOT_AN_IMAGE,
  FORMAT_UNKNOWN: NOT_AN_IMAGE,
  IO_TRUNCATED: REDOWNLOAD,
  IO_OUT_OF_RANGE: REDOWNLOAD,
  PARTITION_PAST_END: REDOWNLOAD,
  ARCHIVE_CORRUPT: REDOWNLOAD,
  GPT_CRC_MISMATCH: REDOWNLOAD,
  ARCHIVE_NO_IMAGE: 'Choose an archive that holds the disk image (.img), or the .img itself.',
  ARCHIVE_UNSUPPORTED: 'Extract the image with your archive tool (without a password), then choose the .img here.',
  BOOT_PARTITION_NOT_FOUND: `This does not look like a balenaOS image. ${NOT_AN_IMAGE}`,
  FAT_INVALID: `The boot partition is not a FAT filesystem Preflash can write. ${NOT_AN_IMAGE}`,
  FAT_DIRTY: 'The boot partition was not cleanly unmounted: download a fresh image, or repair it with fsck.fat on a computer first.',
  FAT_CORRUPT: `The boot partition is damaged. ${REDOWNLOAD}`,
  FAT_NO_SPACE: 'Remove some of the files or profiles you added in Configure, then build again.',
  FAT_ROOT_FULL: 'Remove some of the files you added in Configure, then build again.',
  SPLICE_IMPOSSIBLE: 'Choose “Uncompressed disk image (.img)” or “gzip (.img.gz)” as the output format above, then build again.',
  OUTPUT_FAILED: 'Free some space on this computer (the browser keeps a temporary copy while it builds), then build again.',
  SETTINGS_INVALID: 'Go back to Configure: the fields with problems are marked there.',
  DEVICE_UNKNOWN: 'Go back to Device and choose your device from the list.',
  SELF_CHECK_FAILED: 'Nothing was saved. Try another copy of the image; if it happens again, please report it with the message above.',
  INTERNAL: 'This is a bug in Preflash. Reload the page and try again; please report it with the message above.',
};

/** The problem an error thrown by the worker client (or anything else) stands for. */
export function problemOf(error: unknown): Problem {
  const e = error as { code?: string; message?: string };
  const message = e?.message ?? String(error);
  const code = typeof e?.code === 'string' ? e.code : undefined;
  return { message, code, help: code ? HELP[code as CoreErrorCode] : undefined };
}

/**
 * A failed save, in words: the browser's DOMException names (a full disk, the temporary output
 * the browser removed) become sentences naming the problem and what to do.
 */
export function saveProblem(error: unknown, fileName: string, size: string): Problem {
  const name = (error as Error)?.name;
  if (name === 'QuotaExceededError') {
    return {
      code: name,
      message: `Saving ${fileName} failed: the disk is full (it needs ${size}). Nothing was kept of the partial file.`,
      help: 'Free some space, or choose another drive, then press Save again.',
    };
  }
  if (name === 'NotFoundError' || name === 'NotReadableError') {
    return {
      code: name,
      message: `Saving ${fileName} failed: the built image is gone — the browser removed its temporary copy (site data cleared, or storage evicted).`,
      help: 'Build the image again, then save it.',
    };
  }
  return { code: name, message: `Saving ${fileName} failed: ${(error as Error)?.message ?? String(error)}` };
}
