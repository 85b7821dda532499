import type { Codec } from './stream-codec.ts';
import { hasStreamMagic } from './xz/format.ts';
import { XzImage } from './xz/xz-image.ts';

/**
 * .xz images (single- or multi-block, any number of concatenated streams). Output in the same
 * format is a splice: touched blocks become stored LZMA2, the rest is copied (xz/write-spliced.ts).
 */
export const xzCodec: Codec = {
  id: 'xz',
  label: 'xz',
  extensions: ['.img.xz', '.xz'],
  sniff: (head) => hasStreamMagic(head),
  open: (input, options) => XzImage.open(input, options),
};
