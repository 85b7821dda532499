import type { Codec } from '../codec.ts';
import { openWith } from '../kit/open.ts';
import { hasStreamMagic } from './format.ts';
import { XzOpenedImage } from './opened-image.ts';

/**
 * .xz images (single- or multi-block, any number of concatenated streams), read from the index at
 * their end. Output in the same format is a splice: touched blocks become stored LZMA2, the rest is
 * copied (splice.ts).
 */
export const xzCodec: Codec<'xz'> = {
  id: 'xz',
  label: 'xz',
  extensions: ['.img.xz', '.xz'],
  sniff: (head) => hasStreamMagic(head),
  open: (input, options) => openWith(input, options, (ci) => XzOpenedImage.open(ci)),
};
