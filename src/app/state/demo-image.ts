/**
 * The built-in demo image: the core's `buildSampleImage()` (a Raspberry Pi 4 (64-bit) shaped
 * balenaOS image with no operating system in it), made and gzipped by the build (vite.config.ts,
 * plugin `preflash-sample-image`) and served beside the app, so the whole flow works with nothing
 * downloaded from elsewhere. Nothing binary is committed; the build checks the name agrees with
 * the core's SAMPLE_IMAGE_NAME.
 */
export const DEMO_IMAGE = {
  /** Relative to the page (the app may be hosted under any path). */
  path: 'sample/preflash-demo-raspberrypi4-64.img.gz',
  fileName: 'preflash-demo-raspberrypi4-64.img.gz',
  deviceType: 'raspberrypi4-64',
} as const;

/** Fetches the demo image from the app's own origin as a File the worker reads like any other. */
export async function loadDemoImage(fetchImpl: typeof fetch = fetch, base: string = document.baseURI): Promise<File> {
  const response = await fetchImpl(new URL(DEMO_IMAGE.path, base));
  if (!response.ok) throw new Error(`The demo image could not be loaded (HTTP ${response.status}).`);
  const blob = await response.blob();
  return new File([blob], DEMO_IMAGE.fileName, { type: 'application/gzip' });
}
