/**
 * xz-decompress is a UMD bundle that requires "stream/web" in its CommonJS branch; a browser
 * bundle must drop that through the package's "browser" field (tech-notes §2.9). Bundle the codec
 * the way the web worker will be bundled, check no Node module is left, and run the bundle in a
 * worker thread on a file made by the real xz.
 */
import { writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { hasTool, runBytes, tempDir } from '../helpers/tools.ts';

const tmp = tempDir('preflash-xzbundle-');
afterAll(() => tmp.cleanup());

describe.skipIf(!hasTool('xz'))('xz codec, bundled for a browser worker', () => {
  it('bundles without Node modules and decodes and splices inside a worker', async () => {
    const result = await build({
      entryPoints: ['src/core/codecs/xz/codec.ts'],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      minify: true,
    });
    const code = result.outputFiles[0].text;
    // The UMD wrapper still names "stream/web" in its AMD branch; what matters is that nothing
    // requires or imports a Node module at run time.
    expect(/require\(["'](?:stream\/web|node:)|from\s*["'](?:node:|stream)|import\(["']node:/.test(code)).toBe(false);
    expect(code.length).toBeLessThan(80_000);
    const bundle = tmp.path('xz.bundle.mjs');
    writeFileSync(bundle, code);

    const image = new Uint8Array(3 << 20).map((_, i) => (i % 4096 < 100 ? i & 0xff : 0));
    writeFileSync(tmp.path('in.img'), image);
    const xz = new Uint8Array(runBytes('xz', ['-T2', '-0', '--block-size=1MiB', '-c', tmp.path('in.img')]));
    const worker = new Worker(
      `
      const { parentPort, workerData } = require('node:worker_threads');
      import(workerData.bundle).then(async ({ xzCodec }) => {
        // A File-like input read by slices, as in the browser; the splice's recipe realised as a Blob of slices.
        const file = new Blob([workerData.xz]);
        const input = { size: file.size, read: async (o, n) => new Uint8Array(await file.slice(o, o + n).arrayBuffer()) };
        const changes = [{ offset: 1 << 20, bytes: new Uint8Array([7, 7]) }];
        const parts = [];
        await (await xzCodec.open(input)).writeDecoded(changes, new WritableStream({ write: (c) => { parts.push(c.slice()); } }));
        const { recipe } = await (await xzCodec.open(input)).splice(changes);
        const spliced = new Blob(recipe.segments.map((s) => (s.kind === 'input' ? file.slice(s.offset, s.offset + s.length) : s.bytes)));
        parentPort.postMessage({
          decoded: new Uint8Array(await new Blob(parts).arrayBuffer()),
          spliced: new Uint8Array(await spliced.arrayBuffer()),
        });
      }).catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));
      `,
      { eval: true, workerData: { bundle, xz } },
    );
    const reply = await new Promise<{ decoded?: Uint8Array; spliced?: Uint8Array; error?: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(reply.error).toBeUndefined();
    const expected = image.slice();
    expected.set([7, 7], 1 << 20);
    expect(Buffer.from(reply.decoded!).equals(Buffer.from(expected))).toBe(true);
    writeFileSync(tmp.path('out.xz'), reply.spliced!);
    expect(runBytes('xz', ['-dc', tmp.path('out.xz')]).equals(Buffer.from(expected))).toBe(true);
  });
});
