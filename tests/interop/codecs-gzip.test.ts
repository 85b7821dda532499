import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipCodec } from '../../src/core/codecs/gzip.ts';
import { applyToCopy, equalBytes, fileSink, fileStream, makeRawImage, readBytes, sampleChanges, sh } from '../helpers/codec-fixtures.ts';
import { hasTools, run, runBytes, tempDir } from '../helpers/tools.ts';
import { statSync } from 'node:fs';

const ok = hasTools('gzip', 'pigz');
const t = tempDir('codecs-gzip-');
let raw: Uint8Array;

beforeAll(() => {
  if (!ok) return;
  raw = makeRawImage(t.path('a.img'), 24, 3);
  sh(`gzip -6 -c a.img > a.gz && pigz -6 -c a.img > a.pigz.gz`, t.dir);
});
afterAll(() => t.cleanup());

describe.skipIf(!ok)('gzip splice against native gzip', () => {
  for (const name of ['a.gz', 'a.pigz.gz']) {
    it(`${name}: reads equal raw; splice passes gzip -t and decodes to the patched image`, async () => {
      const opened = await gzipCodec.open(fileStream(t.path(name)));
      expect(equalBytes(await opened.image.read(1_000_000, 70_000), raw.subarray(1_000_000, 1_070_000))).toBe(true);
      const changes = sampleChanges();
      const out = t.path(`${name}.out.gz`);
      const summary = await opened.writeSpliced(changes, fileSink(out), { imageSizeHint: raw.length });
      expect(run('gzip', ['-t', out]).status).toBe(0);
      const decoded = new Uint8Array(runBytes('gzip', ['-dc', out]));
      expect(equalBytes(decoded, applyToCopy(raw, changes))).toBe(true);
      expect(summary.bytesWritten).toBe(statSync(out).size);
      expect(Math.abs(statSync(out).size - statSync(t.path(name)).size)).toBeLessThan(400_000);
    });
  }
});
