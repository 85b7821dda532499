import { CoreError } from '../../errors.ts';
import { u16, u32, u64 } from '../../bytes/little-endian.ts';
import type { ByteSource } from '../../io/byte-source.ts';
import { corrupt } from '../kit/errors.ts';
import { MAX32, readAt, SIG } from './records.ts';

/** Where a zip's central directory is, from its end records (APPNOTE 4.3.14–4.3.16). */
export interface ZipEnd {
  cdOffset: number;
  cdSize: number;
  entries: number;
  /** Input offset of the first end record (the ZIP64 end record if any, else the EOCD). */
  endStart: number;
}

const EOCD = 22;
const MAX_COMMENT = 0xffff;
/** The central directory and end records are small; more than this is not a zip we can trust. */
export const MAX_CENTRAL_BYTES = 64 << 20;

/**
 * Finds the end of central directory record: searching back from the end for its signature, the
 * record whose comment runs exactly to the end of the file wins (a cut record or a stray signature
 * inside a comment does not). Then the ZIP64 locator and end record when the 32-bit fields say so.
 * No record is ARCHIVE_CORRUPT "truncated": the archive's index is what was cut off.
 */
export async function findZipEnd(input: ByteSource): Promise<ZipEnd> {
  const tailLength = Math.min(input.size, EOCD + MAX_COMMENT);
  const tailStart = input.size - tailLength;
  const tail = await readAt(input, tailStart, tailLength, 'the zip end of central directory');
  let p = tail.length - EOCD;
  for (; p >= 0; p--) if (u32(tail, p) === SIG.end && p + EOCD + u16(tail, p + 20) === tail.length) break;
  if (p < 0) {
    throw new CoreError('ARCHIVE_CORRUPT', 'The zip file has no end of central directory record: it is truncated or damaged (the index of its members is missing).', {
      reason: 'truncated',
    });
  }
  const eocdAt = tailStart + p;
  if (u16(tail, p + 4) !== 0 || u16(tail, p + 6) !== 0) {
    throw new CoreError('ARCHIVE_UNSUPPORTED', 'The zip file spans several disks (split archive); join it first.', { reason: 'multi-disk' });
  }
  let end: ZipEnd = { entries: u16(tail, p + 10), cdSize: u32(tail, p + 12), cdOffset: u32(tail, p + 16), endStart: eocdAt };
  const locAt = eocdAt - 20;
  if (locAt >= 0 && u32(await readAt(input, locAt, 4, 'a zip64 locator'), 0) === SIG.zip64Locator) {
    end = await readZip64End(input, locAt);
  } else if (end.cdOffset === MAX32 || end.cdSize === MAX32) {
    throw corrupt('The zip end record says the archive is ZIP64, but the ZIP64 locator is missing: it is damaged.');
  }
  if (!Number.isSafeInteger(end.cdOffset + end.cdSize) || end.cdOffset + end.cdSize > end.endStart) {
    throw corrupt(`The zip central directory (${end.cdSize} bytes at byte ${end.cdOffset}) does not lie before its end record (byte ${end.endStart}): the archive is damaged or truncated.`);
  }
  if (input.size - end.cdOffset > MAX_CENTRAL_BYTES) {
    throw new CoreError('ARCHIVE_UNSUPPORTED', `The zip central directory is larger than ${MAX_CENTRAL_BYTES >> 20} MiB.`, { reason: 'central-directory-size' });
  }
  return end;
}

/** The ZIP64 end of central directory record the locator at `locAt` points to (APPNOTE 4.3.14–4.3.15). */
async function readZip64End(input: ByteSource, locAt: number): Promise<ZipEnd> {
  const loc = await readAt(input, locAt, 20, 'a zip64 locator');
  const at = u64(loc, 8);
  if (!(at < locAt)) throw corrupt(`The ZIP64 locator points to byte ${at}, past itself: the archive is damaged.`);
  const r = await readAt(input, at, 56, 'the zip64 end of central directory');
  if (u32(r, 0) !== SIG.zip64End) throw corrupt(`There is no ZIP64 end of central directory record at byte ${at}, where the locator points: the archive is damaged.`);
  if (u32(r, 16) !== 0 || u32(r, 20) !== 0) {
    throw new CoreError('ARCHIVE_UNSUPPORTED', 'The zip file spans several disks (split archive); join it first.', { reason: 'multi-disk' });
  }
  return { entries: u64(r, 32), cdSize: u64(r, 40), cdOffset: u64(r, 48), endStart: at };
}
