/** `npm run bench [configure|compressed|copy]`: timings are reports, never assertions (house style). */
import { benchConfigureInPlace } from './configure-inplace.ts';
import { benchCompressed } from './compressed.ts';
import { benchCopyChunk } from './copy-chunk.ts';

const which = process.argv[2] ?? 'all';
if (which === 'all' || which === 'configure') await benchConfigureInPlace();
if (which === 'all' || which === 'compressed') await benchCompressed();
if (which === 'copy') await benchCopyChunk();
