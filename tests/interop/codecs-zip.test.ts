import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipCodec } from '../../src/core/codecs/zip.ts';
import { applyToCopy, equalBytes, fileSink, fileStream, makeRawImage, readBytes, sampleChanges, sh, zipEntries } from '../helpers/codec-fixtures.ts';
import { hasTools, run, runBytes, tempDir } from '../helpers/tools.ts';

const ok = hasTools('zip', 'unzip');
const t = tempDir('codecs-zip-');
let raw: Uint8Array;

beforeAll(() => {
  if (!ok) return;
  raw = makeRawImage(t.path('a.img'), 16, 5);
  makeRawImage(t.path('rootfs.ext4'), 2, 9);
  sh(
    [
      'zip -q -6 -j a.zip a.img',
      'zip -q -6 - a.img | cat > a.dd.zip',
      'zip -q -0 -j a.stored.zip a.img',
      "printf '#!/bin/sh\\necho flash\\n' > flashall.sh && head -c 70000 /dev/urandom > u-boot-edison.bin && cp a.img edison-image-edison.hddimg",
      'zip -q -6 edison.zip flashall.sh u-boot-edison.bin edison-image-edison.hddimg rootfs.ext4',
    ].join(' && '),
    t.dir,
  );
});
afterAll(() => t.cleanup());

async function spliceAndCheck(name: string, member: string) {
  const input = t.path(name);
  const opened = await zipCodec.open(fileStream(input));
  expect(opened.member).toBe(member);
  expect(equalBytes(await opened.image.read(3_000_000, 100_000), raw.subarray(3_000_000, 3_100_000))).toBe(true);
  const changes = sampleChanges(11);
  const out = t.path(`${name}.out.zip`);
  const summary = await opened.writeSpliced(changes, fileSink(out));
  expect(summary.imageSize).toBe(raw.length);
  const test = run('unzip', ['-t', out]);
  expect(test.status, test.stdout + test.stderr).toBe(0);
  expect(equalBytes(new Uint8Array(runBytes('unzip', ['-p', out, member])), applyToCopy(raw, changes))).toBe(true);
  expect(Math.abs(statSync(out).size - statSync(input).size)).toBeLessThan(400_000);
  return { input: readBytes(input), output: readBytes(out) };
}

describe.skipIf(!ok)('zip splice against Info-ZIP', () => {
  it('zip -6 (sizes in the local header)', async () => {
    await spliceAndCheck('a.zip', 'a.img');
  });

  it('streamed zip with data descriptors (zip - | cat)', async () => {
    const { input } = await spliceAndCheck('a.dd.zip', 'a.img');
    expect(new DataView(input.buffer).getUint16(6, true) & 8).toBe(8);
  });

  it('stored member', async () => {
    await spliceAndCheck('a.stored.zip', 'a.img');
  });

  it('Edison-like archive: the .hddimg is found, every other member is byte-identical', async () => {
    const { input, output } = await spliceAndCheck('edison.zip', 'edison-image-edison.hddimg');
    const a = zipEntries(input);
    const b = zipEntries(output);
    expect(b.map((e) => e.name)).toEqual(a.map((e) => e.name));
    for (let i = 0; i < a.length; i++) {
      if (a[i].name === 'edison-image-edison.hddimg') continue;
      const ra = input.subarray(a[i].offset, a[i].offset + a[i].recordLength);
      const rb = output.subarray(b[i].offset, b[i].offset + b[i].recordLength);
      expect(equalBytes(ra, rb), a[i].name).toBe(true);
      expect(b[i].crc).toBe(a[i].crc);
    }
  });
});
