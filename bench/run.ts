/** `npm run bench`: timings are reports, never assertions (house style). */
import { benchConfigureInPlace } from './configure-inplace.ts';

const which = process.argv[2] ?? 'all';
if (which === 'all' || which === 'configure') await benchConfigureInPlace();
