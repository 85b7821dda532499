/** The worker's small pieces: a Blob as a ByteSource, and the suggested output names. */
import { describe, expect, it } from 'vitest';
import { blobSource } from '../../../workers/blob-source.ts';
import { suggestedFileName } from '../../../workers/output-name.ts';

describe('blobSource', () => {
  it('reads exact ranges, tracks the furthest byte read, refuses ranges outside', async () => {
    const source = blobSource(new Blob([Uint8Array.from({ length: 100 }, (_, i) => i)]));
    expect([...(await source.read(10, 3))]).toEqual([10, 11, 12]);
    expect(source.readTo).toBe(13);
    await source.read(0, 5);
    expect(source.readTo).toBe(13);
    await expect(source.read(98, 3)).rejects.toMatchObject({ code: 'IO_OUT_OF_RANGE' });
  });

  it('a file that can no longer be read is IO_TRUNCATED, not an internal error', async () => {
    const gone = new Blob([new Uint8Array(10)]);
    gone.slice = () => ({ arrayBuffer: () => Promise.reject(new DOMException('gone', 'NotReadableError')) }) as unknown as Blob;
    await expect(blobSource(gone).read(0, 4)).rejects.toMatchObject({ code: 'IO_TRUNCATED', detail: { cause: 'NotReadableError' } });
  });
});

describe('suggestedFileName', () => {
  it.each([
    ['balena.img', 'raw', 'raw', 'balena-configured.img'],
    ['balena.img.gz', 'gzip', 'gzip', 'balena-configured.img.gz'],
    ['balena.img.gz', 'gzip', 'raw', 'balena-configured.img'],
    ['balena.img.xz', 'xz', 'gzip', 'balena-configured.img.gz'],
    ['raspberrypi4-64-6.5.17.img.zip', 'zip', 'zip', 'raspberrypi4-64-6.5.17-configured.img.zip'],
    ['C:\\Downloads\\image', 'raw', 'raw', 'image-configured.img'],
  ] as const)('%s (%s → %s) → %s', (input, from, to, expected) => {
    expect(suggestedFileName(input, from, to)).toBe(expected);
  });
});
