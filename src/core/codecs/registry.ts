import type { Codec } from './stream-codec.ts';
import { gzipCodec } from './gzip.ts';
import { rawCodec } from './raw.ts';
import { xzCodec } from './xz/codec.ts';
import { zipCodec } from './zip.ts';

/**
 * Every input format, in detection order (magic bytes first). `raw` must stay last: it accepts
 * anything. Adding a format = one line here (see README.md).
 */
export const codecs: readonly Codec[] = [
  gzipCodec,
  zipCodec,
  xzCodec,
  rawCodec,
];
