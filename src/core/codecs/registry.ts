import type { Codec } from './codec.ts';
import { gzipCodec } from './gzip/codec.ts';
import { rawCodec } from './raw/codec.ts';
import { xzCodec } from './xz/codec.ts';
import { zipCodec } from './zip/codec.ts';

/**
 * Every input format, in detection order (magic bytes first). `raw` must stay last: it accepts
 * anything. Adding a format = one folder + one entry here; CodecId follows from this list.
 */
export const codecs: readonly [Codec<'gzip'>, Codec<'zip'>, Codec<'xz'>, Codec<'raw'>] = [gzipCodec, zipCodec, xzCodec, rawCodec];
