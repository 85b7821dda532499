import { buildPage, servePage } from './serve-page.ts';

/** Builds and serves the page; the URL reaches the specs through the environment. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const server = await servePage(await buildPage());
  process.env.PREFLASH_E2E_URL = server.url;
  return () => server.close();
}
