import { CoreError } from '../errors.ts';
import type { DecodedHead } from './kit/decoded-head.ts';
import { magicOf } from './detect-magic.ts';

/**
 * Rejects a decoded "image" that is itself compressed (an .img.gz inside a zip, a .gz of a .xz):
 * we would otherwise configure compressed bytes as if they were a disk.
 */
export async function rejectNestedImage(head: DecodedHead, what: string): Promise<void> {
  await head.ensure(16);
  const n = Math.min(16, head.decodedLength);
  const magic = magicOf(await head.read(0, n));
  if (magic && magic.name !== 'lzma') {
    throw new CoreError('ARCHIVE_UNSUPPORTED', `${what} holds ${magic.name}-compressed data, not a disk image (nested compression); decompress it first.`, {
      reason: 'nested',
      inner: magic.name,
    });
  }
}
