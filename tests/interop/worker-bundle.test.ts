/**
 * The image worker bundles for the browser: no Node module left in it, and within its size budget
 * (budgets are assertions; the app's first load stays small because the worker loads on demand).
 */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// 100 KB until issue 7's mid-block cut (deflate/block-walker.ts, +6.4 KB minified) and the direct xz
// driver took it to 103 KB; the largest part is the device catalogue (175 KB minified, ~30% of the
// bundle). The budget catches a whole library or a Node module pulled in by mistake.
describe('image worker bundle', () => {
  it('has no Node modules and stays within 110 KB gzipped', async () => {
    const result = await build({ entryPoints: ['workers/image.worker.ts'], bundle: true, format: 'esm', platform: 'browser', minify: true, write: false, logLevel: 'silent' });
    const code = result.outputFiles[0].text;
    expect(/require\(["'](?:stream\/web|node:|fs|path)|from\s*["'](?:node:|fs["']|path["'])|import\(["']node:/.test(code)).toBe(false);
    const gzipped = gzipSync(code, { level: 9 }).length;
    console.log(`image worker: ${code.length} B minified, ${gzipped} B gzipped`);
    expect(gzipped).toBeLessThan(110 * 1024);
  });
});
