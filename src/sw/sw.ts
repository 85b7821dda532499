/**
 * Preflash's service worker (issue #9): precaches the whole app at install, so after one visit it
 * loads and works offline, and serves it cache-first. No business logic here.
 *
 * Updates never switch by themselves: a new worker installs (precaching the new build beside the
 * old one) and then waits until the page asks it to take over (`SKIP_WAITING`, sent when the user
 * presses Reload in the update prompt — src/app/pwa/register.ts). Only then does it activate,
 * drop the old build's files and take control.
 *
 * Built by vite-plugin-pwa (src/sw/vite-plugin.ts), which replaces `self.__WB_MANIFEST` with the
 * list of files and their revisions.
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] };
declare const __PREFLASH_BUILD__: string;

/** Messages the page may send; the version answer goes back on the message's port. */
export type ServiceWorkerRequest = { type: 'SKIP_WAITING' } | { type: 'GET_VERSION' };

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// A navigation to the app's start page with a query string (the manifest's start_url, a link with
// parameters) still gets the precached page. Other paths are left to the network, and so is the
// embed mode (?embed): its response carries the frame-ancestors that allow framing, the cached
// page's forbid it.
const scopePath = new URL(self.registration.scope).pathname;
const escaped = scopePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { allowlist: [new RegExp(`^${escaped}(index\\.html)?(\\?.*)?$`)], denylist: [/[?&]embed(=|&|$)/] }));

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const request = event.data as ServiceWorkerRequest | undefined;
  if (request?.type === 'SKIP_WAITING') void self.skipWaiting();
  else if (request?.type === 'GET_VERSION') event.ports[0]?.postMessage({ build: __PREFLASH_BUILD__ });
});

// On the first visit, take control of the open page at once so it works offline without a reload.
// After an update this runs only once the user asked for the new version (see above).
self.addEventListener('activate', (event: ExtendableEvent) => event.waitUntil(self.clients.claim()));
