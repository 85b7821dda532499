import { statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipStream } from '../../src/core/codecs/stream-gzip.ts';
import { zipCodec } from '../../src/core/codecs/zip/codec.ts';
import { recipeInputBytes } from '../../src/core/io/recipe.ts';
import { equalBytes, fileSource, makeRawImage, patchedView, memorySink, readBytes, realiseToFile, sampleChanges, sh, zipEntries } from '../helpers/codec-fixtures.ts';
import { hasTools, run, runBytes, tempDir } from '../helpers/tools.ts';
import { expectCode } from '../helpers/core-errors.ts';

const ok = hasTools('zip', 'unzip');
// Decoded images are written and read back at once: /dev/shm when it has room, no disk writeback.
const t = tempDir('codecs-zip-', { memory: true });
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
      // ZIP64 records forced on a small archive (EOCD fields 0xFFFFFFFF), and a comment holding a stray end signature.
      'zip -q -fz -j a.z64.zip a.img',
      "printf 'see PK\\005\\006 below\\n' | zip -q -z -j a.comment.zip a.img",
    ].join(' && '),
    t.dir,
  );
});
afterAll(() => t.cleanup());

/** Opens a file with the zip codec for the duration of `body`. */
async function withZip<T>(name: string, body: (o: Awaited<ReturnType<typeof zipCodec.open>>, input: ReturnType<typeof fileSource>) => Promise<T>, member?: string): Promise<T> {
  const input = fileSource(t.path(name));
  try {
    return await body(await zipCodec.open(input, { member }), input);
  } finally {
    input.close();
  }
}

/** Splices, realises the recipe with writeRecipe, checks with unzip -t and unzip -p. */
async function spliceTo(name: string, out: string, changes = sampleChanges(11), options = {}, member?: string) {
  return withZip(
    name,
    async (opened, input) => {
      const summary = await opened.splice!(changes, options);
      await realiseToFile(summary.recipe, input, out);
      const test = run('unzip', ['-t', out]);
      expect(test.status, test.stdout + test.stderr).toBe(0);
      return summary;
    },
    member,
  );
}

async function spliceAndCheck(name: string, member: string) {
  const input = t.path(name);
  await withZip(name, async (opened) => {
    expect(opened.member).toBe(member);
    expect(equalBytes(await opened.image.read(3_000_000, 100_000), raw.subarray(3_000_000, 3_100_000))).toBe(true);
  });
  const changes = sampleChanges(11);
  const out = t.path(`${name}.out.zip`);
  const summary = await spliceTo(name, out, changes);
  expect(summary.imageSize).toBe(raw.length);
  expect(recipeInputBytes(summary.recipe) / summary.recipe.size).toBeGreaterThan(0.6);
  const test = run('unzip', ['-t', out]);
  expect(test.status, test.stdout + test.stderr).toBe(0);
  expect(equalBytes(new Uint8Array(runBytes('unzip', ['-p', out, member])), patchedView(raw, changes))).toBe(true);
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

  it('ZIP64 records on a small archive (zip -fz), and an archive comment holding a stray end signature', async () => {
    await spliceAndCheck('a.z64.zip', 'a.img');
    await spliceAndCheck('a.comment.zip', 'a.img');
    expect(run('unzip', ['-z', t.path('a.comment.zip.out.zip')]).stdout).toContain('below');
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
    const sink = memorySink();
    await withZip('edison.zip', (opened) => opened.writeDecoded(changes, sink.stream));
    expect(equalBytes(sink.bytes(), patchedView(raw, changes))).toBe(true);
    const gz = memorySink();
    const ts = gzipStream();
    const piping = ts.readable.pipeTo(gz.stream);
    await withZip('a.dd.zip', (again) => again.writeDecoded(changes, ts.writable));
    await piping;
    expect(equalBytes(new Uint8Array(gunzipSync(gz.bytes())), patchedView(raw, changes))).toBe(true);
  });

  it('verifyInput decodes the tail and still produces a valid archive', async () => {
    const s = await spliceTo('a.zip', t.path('verify.zip'), sampleChanges(13), { verifyInput: true });
    expect(s.decodedBytes).toBeGreaterThanOrEqual(raw.length);
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

  it('several candidate images: ARCHIVE_AMBIGUOUS at open, listing them; `member` chooses', async () => {
    const e = await expectCode(withZip('two.zip', async () => undefined), 'ARCHIVE_AMBIGUOUS');
    expect(e.detail.candidates).toEqual(['a.img', 'b.img']);
    const out = t.path('two.out.zip');
    await spliceTo('two.zip', out, sampleChanges(), {}, 'b.img');
    expect(equalBytes(new Uint8Array(runBytes('unzip', ['-p', out, 'a.img'])), raw)).toBe(true);
    expect(equalBytes(new Uint8Array(runBytes('unzip', ['-p', out, 'b.img'])), patchedView(raw, sampleChanges()))).toBe(true);
  });

  it('no image: ARCHIVE_NO_IMAGE listing what is there', async () => {
    const e = await expectCode(withZip('none.zip', async () => undefined), 'ARCHIVE_NO_IMAGE');
    expect(e.message).toContain('flashall.sh');
  });

  it('encrypted member and nested compression: ARCHIVE_UNSUPPORTED', async () => {
    const enc = await expectCode(withZip('secret.zip', async () => undefined), 'ARCHIVE_UNSUPPORTED');
    expect(enc.message).toMatch(/encrypted/);
    const nested = await expectCode(withZip('nested.zip', async () => undefined), 'ARCHIVE_UNSUPPORTED');
    expect(nested.message).toMatch(/nested/);
  });

  it('truncated archive (end of central directory cut off): ARCHIVE_CORRUPT at open', async () => {
    const whole = readBytes(t.path('a.zip'));
    for (const keep of [5_000_000, whole.length - 10]) {
      writeFileSync(t.path('cut.zip'), whole.subarray(0, keep));
      const e = await expectCode(withZip('cut.zip', async () => undefined), 'ARCHIVE_CORRUPT');
      expect(e.message).toMatch(/truncated/);
    }
  });

  it('a local header whose CRC or size disagrees with the central directory: ARCHIVE_CORRUPT at open', async () => {
    for (const [at, what] of [
      [14, /CRC-32/],
      [22, /size/],
    ] as const) {
      const bad = readBytes(t.path('a.zip'));
      bad[at] ^= 0x10; // local header CRC-32 / uncompressed size (APPNOTE 4.3.7)
      writeFileSync(t.path('badlocal.zip'), bad);
      const e = await expectCode(withZip('badlocal.zip', async () => undefined), 'ARCHIVE_CORRUPT');
      expect(e.message).toMatch(what);
    }
  });

  it('wrong CRC in both headers: reported by writeDecoded and verifyInput, output aborted', async () => {
    const bad = readBytes(t.path('a.zip'));
    let eocd = bad.length - 22;
    const v = new DataView(bad.buffer);
    while (v.getUint32(eocd, true) !== 0x06054b50) eocd--;
    const cdAt = v.getUint32(eocd + 16, true);
    bad[14] ^= 0xff;
    bad[cdAt + 16] ^= 0xff;
    writeFileSync(t.path('badcrc.zip'), bad);
    for (const mode of ['decoded', 'verify'] as const) {
      const sink = memorySink();
      const p = withZip<unknown>('badcrc.zip', (opened) => (mode === 'decoded' ? opened.writeDecoded([], sink.stream) : opened.splice!(sampleChanges(), { verifyInput: true })));
      const e = await expectCode(p, 'ARCHIVE_CORRUPT');
      expect(e.message).toMatch(/CRC-32/);
      if (mode === 'decoded') expect(sink.state.aborted && !sink.state.closed).toBe(true);
    }
  });
});
