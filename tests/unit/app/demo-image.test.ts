/**
 * The built-in demo image (issue 8): made from code by the build, small, and read by the core as
 * a Raspberry Pi 4 (64-bit) balenaOS image with a FAT32 resin-boot partition; the app takes it as
 * .img.gz, or as .img when a server decoded it on the way (Content-Encoding).
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inspectImage, MemoryDisk } from '../../../src/core/index.ts';
import { DEMO_IMAGE, loadDemoImage } from '../../../src/app/state/demo-image.ts';
import { sampleImageGz } from '../../../vite.config.ts';

const BUDGET = 200 * 1024;

describe('demo image', () => {
  it('is small, the same on every build, and inspects as the sample device', async () => {
    const gz = await sampleImageGz();
    expect(gz.length).toBeLessThan(BUDGET);
    expect(Buffer.from(await sampleImageGz()).equals(Buffer.from(gz))).toBe(true);
    const raw = new Uint8Array(gunzipSync(gz));
    const report = await inspectImage(new MemoryDisk(raw));
    expect(report.deviceType).toBe(DEMO_IMAGE.deviceType);
    expect(JSON.stringify(report)).toContain('resin-boot');
  }, 60_000);

  it('is fetched relative to the page and named by what arrived', async () => {
    const urls: string[] = [];
    const fake = (body: Uint8Array) => (async (url: URL) => (urls.push(String(url)), new Response(new Blob([body as Uint8Array<ArrayBuffer>])))) as unknown as typeof fetch;
    const gz = await loadDemoImage(fake(new Uint8Array([0x1f, 0x8b, 8, 0])), 'https://example.org/tools/preflash/');
    expect(urls).toEqual([`https://example.org/tools/preflash/${DEMO_IMAGE.path}`]);
    expect(gz.name).toBe('preflash-demo-raspberrypi4-64.img.gz');
    const decoded = await loadDemoImage(fake(new Uint8Array([0, 0, 0, 0])), 'https://example.org/');
    expect(decoded.name).toBe('preflash-demo-raspberrypi4-64.img');
    await expect(loadDemoImage((async () => new Response('', { status: 404 })) as unknown as typeof fetch, 'https://example.org/')).rejects.toThrow('HTTP 404');
  });
});
