/**
 * The built-in demo image: the core's `buildSampleImage()` (a Raspberry Pi 4 (64-bit) shaped
 * balenaOS image with no operating system in it), made and gzipped by the build (vite.config.ts,
 * plugin `preflash-sample-image`) and served beside the app, so the whole flow works with nothing
 * downloaded from elsewhere. Nothing binary is committed; the build checks the name agrees with
 * the core's SAMPLE_IMAGE_NAME.
 */
export const DEMO_IMAGE = {
  /**
   * Relative to the page (the app may be hosted under any path). Not named `.gz`: static servers
   * (Vite's preview among them) send `.gz` files with `Content-Encoding: gzip`, and the browser
   * would then hand over the 100 MiB decoded image instead of the ~100 KB file.
   */
  path: 'sample/preflash-demo-raspberrypi4-64.img.gz.bin',
  fileName: 'preflash-demo-raspberrypi4-64.img.gz',
  deviceType: 'raspberrypi4-64',
} as const;

/** Fetches the demo image from the app's own origin as a File the worker reads like any other. */
export async function loadDemoImage(fetchImpl: typeof fetch = fetch, base: string = document.baseURI): Promise<File> {
  const response = await fetchImpl(new URL(DEMO_IMAGE.path, base));
  if (!response.ok) throw new Error(`The demo image could not be loaded (HTTP ${response.status}).`);
  const blob = await response.blob();
  // A server may still have decoded it (Content-Encoding): then it is the raw image.
  const head = new Uint8Array(await blob.slice(0, 2).arrayBuffer());
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  return new File([blob], gzip ? DEMO_IMAGE.fileName : DEMO_IMAGE.fileName.replace(/\.gz$/, ''), { type: gzip ? 'application/gzip' : 'application/octet-stream' });
}
