import { gzipSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipCodec } from '../../../src/core/codecs/gzip/codec.ts';
import type { ProgressEvent } from '../../../src/core/codecs/codec.ts';
import { MemoryDisk } from '../../../src/core/io/memory.ts';
import { recipeInputBytes } from '../../../src/core/io/recipe.ts';
import { expectCode } from '../../helpers/core-errors.ts';
import { applyToCopy, equalBytes, failingSink, image, memorySink, noisyImage, realise } from '../../helpers/codec-fixtures.ts';

const img = image(2 << 20, 9);
const changes = [
  { offset: 100, bytes: new Uint8Array(512).fill(4) },
  { offset: 300_000, bytes: new Uint8Array(1024).fill(5) },
];
const expected = applyToCopy(img, changes);

async function spliced(gz: Uint8Array, opts = {}): Promise<Uint8Array> {
  const opened = await gzipCodec.open(new MemoryDisk(gz));
  const r = await opened.splice!(changes, opts);
  return realise(r.recipe, gz);
}

function cat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

describe('gzip: multi-member, garbage, truncation', () => {
  it('splices a two-member file whose changes are in the first member (its end is decoded, the rest copied)', async () => {
    const gz = cat(gzipSync(img.subarray(0, 1 << 20)), gzipSync(img.subarray(1 << 20)));
    for (const hint of [undefined, img.length]) {
      const out = await spliced(gz, { imageSizeHint: hint });
      expect(equalBytes(new Uint8Array(gunzipSync(out)), expected)).toBe(true);
    }
  });
  it('splices changes in several members of a bgzip-like file', async () => {
    const parts: Uint8Array[] = [];
    for (let p = 0; p < img.length; p += 64 * 1024) parts.push(gzipSync(img.subarray(p, p + 64 * 1024)));
    const gz = cat(...parts);
    const out = await spliced(gz);
    expect(equalBytes(new Uint8Array(gunzipSync(out)), expected)).toBe(true);
  });
  it('keeps trailing garbage verbatim and still patches the right trailer', async () => {
    const gz = cat(gzipSync(img), new Uint8Array(1000).fill(0));
    const out = await spliced(gz, { imageSizeHint: img.length });
    expect(equalBytes(out.subarray(out.length - 1000), new Uint8Array(1000))).toBe(true);
    expect(equalBytes(new Uint8Array(gunzipSync(out.subarray(0, out.length - 1000))), expected)).toBe(true);
  });
  it('a truncated file is ARCHIVE_CORRUPT (truncated), never a wrong output', async () => {
    const gz = new Uint8Array(gzipSync(img));
    const cut = gz.subarray(0, gz.length - 5000);
    const e = await expectCode(spliced(cut, { imageSizeHint: img.length }), 'ARCHIVE_CORRUPT');
    expect(e.detail.reason).toBe('truncated');
    const opened = await gzipCodec.open(new MemoryDisk(cut));
    const sink = memorySink();
    await expectCode(opened.writeDecoded([], sink.stream), 'ARCHIVE_CORRUPT');
    expect(sink.state.aborted).toBe(true);
  });
  it('verifyInput decodes the copied tail and reports a bad CRC', async () => {
    const gz = new Uint8Array(gzipSync(img));
    gz[gz.length - 8] ^= 0xff;
    await expectCode(spliced(gz, { imageSizeHint: img.length, verifyInput: true }), 'ARCHIVE_CORRUPT');
    const ok = new Uint8Array(gzipSync(img));
    const opened = await gzipCodec.open(new MemoryDisk(ok));
    const r = await opened.splice!(changes, { verifyInput: true });
    expect(r.decodedBytes).toBeGreaterThanOrEqual(img.length);
    expect(recipeInputBytes(r.recipe)).toBeGreaterThan(0);
  });
});

describe('gzip: output failures and cancellation', () => {
  const gz = new Uint8Array(gzipSync(img, { level: 1 }));
  it('a failing sink is OUTPUT_FAILED and the output is aborted', async () => {
    const opened = await gzipCodec.open(new MemoryDisk(gz));
    const sink = failingSink(1);
    const e = await expectCode(opened.writeDecoded(changes, sink.stream), 'OUTPUT_FAILED');
    expect(e.message).toContain('ENOSPC');
    expect(sink.state.closed).toBe(false);
    expect(await sink.errored()).toBe(true);
  });
  it('cancel mid-writeDecoded: ABORTED, output aborted, progress had totals', async () => {
    const opened = await gzipCodec.open(new MemoryDisk(gz));
    const controller = new AbortController();
    const events: ProgressEvent[] = [];
    let writes = 0;
    const state = { aborted: false };
    const out = new WritableStream<Uint8Array>({
      write: () => {
        if (++writes === 2) controller.abort();
      },
      abort: () => void (state.aborted = true),
    });
    await expectCode(opened.writeDecoded([], out, { signal: controller.signal, onProgress: (e) => events.push(e) }), 'ABORTED');
    expect(writes).toBeGreaterThanOrEqual(2);
    expect(state.aborted).toBe(true);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.totalBytes === gz.length)).toBe(true);
  });
  it('the opened image stays usable: splice twice, then decode', async () => {
    const opened = await gzipCodec.open(new MemoryDisk(gz));
    const a = realise((await opened.splice!(changes)).recipe, gz);
    const b = realise((await opened.splice!(changes, { verifyInput: true })).recipe, gz);
    expect(equalBytes(a, b)).toBe(true);
    const sink = memorySink();
    await opened.writeDecoded(changes, sink.stream);
    expect(equalBytes(sink.bytes(), expected)).toBe(true);
  });
});

describe('gzip: a later member never passes for the spliced member’s trailer', () => {
  it('cat a.gz b.gz without a hint: the first member is decoded to its end', async () => {
    // The second member's ISIZE (1.9 MiB) would be a plausible length for the first member.
    const gz = cat(gzipSync(img.subarray(0, 400_000)), gzipSync(img.subarray(400_000)));
    const opened = await gzipCodec.open(new MemoryDisk(gz));
    const r = await opened.splice!([{ offset: 1000, bytes: new Uint8Array(100).fill(1) }]);
    const out = realise(r.recipe, gz);
    expect(equalBytes(new Uint8Array(gunzipSync(out)), applyToCopy(img, [{ offset: 1000, bytes: new Uint8Array(100).fill(1) }]))).toBe(true);
    expect(recipeInputBytes(r.recipe)).toBeGreaterThan(gz.length / 2);
  });
});

describe('gzip: cancel mid-splice', () => {
  it('a signal fired while the head is being decoded stops the splice with ABORTED', async () => {
    const noisy = noisyImage(6 << 20);
    const gz = new Uint8Array(gzipSync(noisy, { level: 1 }));
    const controller = new AbortController();
    const opened = await gzipCodec.open(new MemoryDisk(gz), { onProgress: (e) => void (e.bytesRead > 1 << 20 && controller.abort()) });
    await expectCode(opened.splice!([{ offset: 5 << 20, bytes: Uint8Array.of(1) }], { signal: controller.signal }), 'ABORTED');
    expect(opened.decodedBytes).toBeGreaterThan(0);
    expect(opened.decodedBytes).toBeLessThan(5 << 20);
  });
});
