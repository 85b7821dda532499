/**
 * One image cache per page, shared by the Image step's download field and cache view (it outlives
 * the step's components, so a download keeps going when the user moves on). The download worker
 * and its client load on first use.
 */
import { ImageCache } from './cache.svelte.ts';
import type { DownloadClient } from './download-client.ts';

let cache: ImageCache | undefined;
let client: Promise<DownloadClient> | undefined;

export function sharedImageCache(): ImageCache {
  return (cache ??= new ImageCache(() => (client ??= import('./download-client.ts').then((m) => new m.DownloadClient()))));
}
