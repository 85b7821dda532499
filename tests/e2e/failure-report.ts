/**
 * What the pages showed when a test failed, written to the test's stderr: the CI log is all a
 * failure on a fresh machine leaves (the error-context files stay there). For each page a spec
 * opened (`watchPage`, called by the helpers that open pages): its problems (page errors, console
 * errors), then each of its frames that holds the app: URL, current step heading and an aria
 * snapshot of its main region — so a flow that stopped on the wrong step says which step and why.
 * Each spec file calls `reportWatched` from its own `test.afterEach` (hooks belong to the file
 * that declares them).
 */
import type { TestInfo } from '@playwright/test';
import type { Page } from 'playwright-core';

const watched: { page: Page; problems: readonly string[] }[] = [];

/** Remembers `page` (and the problems its spec collects) until the running test ends. */
export function watchPage(page: Page, problems: readonly string[] = []): void {
  watched.push({ page, problems });
}

/** After each test: on failure, what every page it opened showed; then forgets them. */
export async function reportWatched(testInfo: TestInfo): Promise<void> {
  const pages = watched.splice(0);
  if (testInfo.status === testInfo.expectedStatus) return;
  for (const { page, problems } of pages) await reportPage(testInfo, page, problems);
}

async function reportPage(testInfo: TestInfo, page: Page, problems: readonly string[]): Promise<void> {
  if (page.isClosed()) return;
  const lines = [`── ${testInfo.title}: what the page showed ──`, `page ${page.url()}`, `problems: ${problems.length ? problems.join(' | ') : 'none'}`];
  for (const frame of page.frames()) {
    const heading = await frame.locator('#step-heading').textContent({ timeout: 1000 }).catch(() => null);
    if (heading === null) continue;
    const main = await frame.locator('main').ariaSnapshot({ timeout: 2000 }).catch((e: Error) => `(no snapshot: ${e.message.split('\n')[0]})`);
    lines.push(`frame ${frame.url()}`, `  step: ${heading.trim()}`, ...main.split('\n').slice(0, 80).map((l) => `  ${l}`));
  }
  process.stderr.write(`${lines.join('\n')}\n`);
}
