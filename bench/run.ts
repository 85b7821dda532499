/** `npm run bench [configure|compressed|browser]`: timings are reports, never assertions (house style). */
import { benchConfigureInPlace } from './configure-inplace.ts';
import { benchCompressed } from './compressed.ts';
import { benchBrowser } from './browser.ts';

const which = process.argv[2] ?? 'all';
if (which === 'all' || which === 'configure') await benchConfigureInPlace();
if (which === 'all' || which === 'compressed') await benchCompressed();
if (which === 'all' || which === 'browser') await benchBrowser();
