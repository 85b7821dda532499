/**
 * Registers the service worker (src/sw/sw.ts) with workbox-window, in production builds only
 * (the dev server builds no worker), once the page has loaded so the precache does not compete
 * with the first paint. A new version is offered to `update`; it is applied only through the
 * offer (the user's Reload): the waiting worker is told to take over, and the page reloads when
 * it has. Loaded with import() by the prompt, so workbox-window stays out of the first load.
 */
/// <reference types="vite/client" />
import { Workbox } from 'workbox-window';
import { embed } from '../embed-state.svelte.ts';
import type { AppUpdate } from './update.svelte.ts';

/** How often an open page asks the server for a new version (the browser also checks on each load). */
const CHECK_EVERY_MS = 60 * 60 * 1000;

export async function registerServiceWorker(update: AppUpdate): Promise<void> {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  // Embedded (?embed, in a docs page's frame) the app runs online from its host: a service worker
  // there would be partitioned per embedding site and would replay index.html's headers, whose
  // frame-ancestors forbid framing (scripts/serve.mjs sends the embed ones only for ?embed).
  if (embed.requested) return;
  // Beside index.html, wherever the app is hosted: its scope is the app's folder.
  const wb = new Workbox(new URL('sw.js', document.baseURI).href);
  let requested = false;

  wb.addEventListener('waiting', () =>
    update.offerUpdate('ready', () => {
      requested = true;
      wb.messageSkipWaiting();
    }),
  );
  wb.addEventListener('controlling', (event) => {
    if (requested) window.location.reload();
    // Another tab activated the new version: this page still runs the old one.
    else if (event.isUpdate) update.offerUpdate('active-elsewhere', () => window.location.reload());
  });

  try {
    await wb.register();
  } catch (error) {
    // The app works without it, only not offline: say so where a developer looks.
    console.warn(`Offline use is unavailable: the service worker could not be registered (${(error as Error).message}).`);
    return;
  }
  setInterval(() => wb.update().catch(() => undefined), CHECK_EVERY_MS);
}
