/**
 * What a page showed when a test failed, written to the test's stderr: the CI log is all a failure
 * on a fresh machine leaves (the error-context files stay there). Its problems (page errors,
 * console errors), then each frame's URL, current step heading and an aria snapshot of its main
 * region, so a flow that stopped on the wrong step says which step and why.
 */
import type { TestInfo } from '@playwright/test';
import type { Page } from 'playwright-core';

export async function reportFailure(testInfo: TestInfo, page: Page | undefined, problems: readonly string[]): Promise<void> {
  if (!page || testInfo.status === testInfo.expectedStatus || page.isClosed()) return;
  const lines = [`── ${testInfo.title}: what the page showed ──`, `problems: ${problems.length ? problems.join(' | ') : 'none'}`];
  for (const frame of page.frames()) {
    const heading = await frame.locator('#step-heading').textContent({ timeout: 1000 }).catch(() => null);
    if (heading === null) continue;
    const main = await frame.locator('main').ariaSnapshot({ timeout: 2000 }).catch((e: Error) => `(no snapshot: ${e.message.split('\n')[0]})`);
    lines.push(`frame ${frame.url()}`, `  step: ${heading.trim()}`, ...main.split('\n').slice(0, 80).map((l) => `  ${l}`));
  }
  process.stderr.write(`${lines.join('\n')}\n`);
}
