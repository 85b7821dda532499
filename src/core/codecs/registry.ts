import type { Codec } from './codec.ts';
import { gzipCodec } from './gzip/codec.ts';
import { fromStreamCodec } from './legacy-adapter.ts';
import { rawCodec } from './raw/codec.ts';
import { xzCodec as xzStreamCodec } from './xz.ts';
import { zipCodec } from './zip/codec.ts';

const xzCodec = fromStreamCodec(xzStreamCodec, 'xz');

/**
 * Every input format, in detection order (magic bytes first). `raw` must stay last: it accepts
 * anything. Adding a format = one folder + one entry here; CodecId follows from this list.
 */
export const codecs: readonly [Codec<'gzip'>, Codec<'zip'>, Codec<'xz'>, Codec<'raw'>] = [gzipCodec, zipCodec, xzCodec, rawCodec];
