/** `npm run bench [configure|compressed|browser|app|copy]`: timings are reports, never assertions (house style). */
import { benchConfigureInPlace } from './configure-inplace.ts';
import { benchCompressed } from './compressed.ts';
import { benchBrowser } from './browser.ts';
import { benchCopyChunk } from './copy-chunk.ts';
import { benchApp } from './app.ts';

const which = process.argv[2] ?? 'all';
if (which === 'all' || which === 'configure') await benchConfigureInPlace();
if (which === 'all' || which === 'compressed') await benchCompressed();
if (which === 'all' || which === 'browser') await benchBrowser();
if (which === 'all' || which === 'app') await benchApp();
if (which === 'copy') await benchCopyChunk();
// The app's server (tests/e2e/app-server.ts) is stopped when the process exits.
process.exit(0);
