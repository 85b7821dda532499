import { CoreError } from '../errors.ts';
import type { Codec } from './codec.ts';
import { magicOf } from './detect-magic.ts';
import { codecs } from './registry.ts';

/**
 * The codec for an input, from its first bytes (pass at least 512 when the input has them) and,
 * as a tie-break, its file name. Magic bytes win over the name: a renamed .img.gz is still gzip.
 * A known compression we cannot read (bzip2, zstd, 7-Zip…) is FORMAT_UNKNOWN naming it, never
 * mistaken for a raw image.
 */
export function detectCodec(head: Uint8Array, fileName?: string): Codec {
  for (const c of codecs) if (c.id !== 'raw' && c.sniff(head)) return c;
  const magic = magicOf(head);
  if (magic && magic.name !== 'lzma') {
    throw new CoreError('FORMAT_UNKNOWN', `The input looks like ${magic.name}-compressed data, which is not supported; use .img, .img.gz, .img.zip or .img.xz.`, {
      format: magic.name,
    });
  }
  const name = fileName?.toLowerCase();
  if (name) {
    const byName = codecs.find((c) => c.id !== 'raw' && c.extensions.some((e) => name.endsWith(e)));
    if (byName && head.length > 0) {
      throw new CoreError('FORMAT_UNKNOWN', `The input is named like a ${byName.label} file but does not start like one: it is damaged or not what its name says.`, {
        format: byName.id,
      });
    }
  }
  const raw = codecs.find((c) => c.id === 'raw');
  if (!raw) throw new CoreError('FORMAT_UNKNOWN', 'No codec accepts this input.');
  return raw;
}
