/**
 * Compressed copies of a balenaOS test image, made by the real tools and built once per test run
 * (fixture-cache.ts): configure-compressed.test.ts and configure-file.test.ts both compress the
 * same raspberrypi image with the same commands (~2 s of gzip, zip and xz CPU each time), and
 * worker-handle.test.ts uses the same .gz.
 */
import { join } from 'node:path';
import { cachedImage } from './fixture-cache.ts';
import { makeBalenaImage, type LayoutName, type MadeImage } from './make-image.ts';
import { runOk } from './tools.ts';

/**
 * Makes `dir/<raw>` (the layout's image) and, for each [file, command], `dir/<file>` by running the
 * shell command in `dir` (it reads `<raw>` and writes `<file>`); each result is cached by layout,
 * raw name, file name and command, so the same command on the same image is run once per test run.
 */
export function makeCompressedImages(dir: string, raw: string, layout: LayoutName, files: [file: string, command: string][]): MadeImage {
  const made = makeBalenaImage(join(dir, raw), layout);
  for (const [file, command] of files) {
    cachedImage('compressed', { layout, raw, file, command }, join(dir, file), () => {
      runOk('sh', ['-c', command], { cwd: dir });
      return null;
    });
  }
  return made;
}
