import { statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipStream } from '../../src/core/codecs/stream-gzip.ts';
import { zipCodec } from '../../src/core/codecs/zip.ts';
import { applyToCopy, equalBytes, fileSink, fileStream, makeRawImage, memorySink, readBytes, sampleChanges, sh, zipEntries } from '../helpers/codec-fixtures.ts';
import { hasTools, run, runBytes, tempDir } from '../helpers/tools.ts';
import { expectCode } from '../helpers/core-errors.ts';

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

describe.skipIf(!ok)('zip: other outputs and verification', () => {
  it('writeDecoded equals the patched image; gzip output from zip input decodes to it too', async () => {
    const changes = sampleChanges(12);
    const opened = await zipCodec.open(fileStream(t.path('edison.zip')));
    const sink = memorySink();
    await opened.writeDecoded(changes, sink.stream);
    expect(equalBytes(sink.bytes(), applyToCopy(raw, changes))).toBe(true);
    const again = await zipCodec.open(fileStream(t.path('a.dd.zip')));
    const gz = memorySink();
    const ts = gzipStream();
    const piping = ts.readable.pipeTo(gz.stream);
    await again.writeDecoded(changes, ts.writable);
    await piping;
    expect(equalBytes(new Uint8Array(gunzipSync(gz.bytes())), applyToCopy(raw, changes))).toBe(true);
  });

  it('verifyInput decodes the tail and still produces a valid archive', async () => {
    const opened = await zipCodec.open(fileStream(t.path('a.zip')));
    const out = t.path('verify.zip');
    await opened.writeSpliced(sampleChanges(13), fileSink(out), { verifyInput: true });
    expect(run('unzip', ['-t', out]).status).toBe(0);
  });
});

describe.skipIf(!ok)('zip bad input', () => {
  beforeAll(() => {
    sh(
      [
        'cp a.img b.img && zip -q -1 -j two.zip a.img b.img',
        'zip -q -j none.zip flashall.sh u-boot-edison.bin',
        'zip -q -P secret -j secret.zip a.img',
        'gzip -1 -c a.img > a.img.gz && zip -q -0 -j nested.zip a.img.gz flashall.sh',
      ].join(' && '),
      t.dir,
    );
  });

  it('several candidate images: ARCHIVE_AMBIGUOUS listing them, no output; `member` chooses', async () => {
    const opened = await zipCodec.open(fileStream(t.path('two.zip')));
    const sink = memorySink();
    const e = await expectCode(opened.writeSpliced(sampleChanges(), sink.stream), 'ARCHIVE_AMBIGUOUS');
    expect(e.detail.candidates).toEqual(['a.img', 'b.img']);
    expect(sink.state.aborted && !sink.state.closed).toBe(true);
    const chosen = await zipCodec.open(fileStream(t.path('two.zip')), { member: 'b.img' });
    expect(chosen.member).toBe('b.img');
    const out = t.path('two.out.zip');
    await chosen.writeSpliced(sampleChanges(), fileSink(out));
    expect(run('unzip', ['-t', out]).status).toBe(0);
    expect(equalBytes(new Uint8Array(runBytes('unzip', ['-p', out, 'a.img'])), raw)).toBe(true);
    expect(equalBytes(new Uint8Array(runBytes('unzip', ['-p', out, 'b.img'])), applyToCopy(raw, sampleChanges()))).toBe(true);
  });

  it('no image: ARCHIVE_NO_IMAGE listing what is there', async () => {
    const e = await expectCode(zipCodec.open(fileStream(t.path('none.zip'))), 'ARCHIVE_NO_IMAGE');
    expect(e.message).toContain('flashall.sh');
  });

  it('encrypted member and nested compression: ARCHIVE_UNSUPPORTED', async () => {
    const enc = await expectCode(zipCodec.open(fileStream(t.path('secret.zip'))), 'ARCHIVE_UNSUPPORTED');
    expect(enc.message).toMatch(/encrypted/);
    const nested = await expectCode(zipCodec.open(fileStream(t.path('nested.zip'))), 'ARCHIVE_UNSUPPORTED');
    expect(nested.message).toMatch(/nested/);
  });

  it('truncated archive: ARCHIVE_CORRUPT, no output', async () => {
    writeFileSync(t.path('cut.zip'), readBytes(t.path('a.zip')).subarray(0, 5_000_000));
    const opened = await zipCodec.open(fileStream(t.path('cut.zip')));
    const sink = memorySink();
    const e = await expectCode(opened.writeSpliced(sampleChanges(), sink.stream), 'ARCHIVE_CORRUPT');
    expect(e.message).toMatch(/truncated/);
    expect(sink.state.aborted).toBe(true);
  });

  it('wrong CRC in the archive: reported by writeDecoded and verifyInput', async () => {
    const bad = readBytes(t.path('a.zip'));
    bad[14] ^= 0xff; // local header CRC-32 (APPNOTE 4.3.7)
    writeFileSync(t.path('badcrc.zip'), bad);
    for (const mode of ['decoded', 'verify'] as const) {
      const opened = await zipCodec.open(fileStream(t.path('badcrc.zip')));
      const sink = memorySink();
      const p = mode === 'decoded' ? opened.writeDecoded([], sink.stream) : opened.writeSpliced(sampleChanges(), sink.stream, { verifyInput: true });
      const e = await expectCode(p, 'ARCHIVE_CORRUPT');
      expect(e.message).toMatch(/CRC-32/);
      expect(sink.state.aborted).toBe(true);
    }
  });
});
