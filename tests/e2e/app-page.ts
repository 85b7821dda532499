/**
 * Shared steps of the app's e2e specs that came after app-build.spec.ts (bad input, keyboard and
 * axe, long tasks): open the built app in a fresh context (save picker stubbed with an OPFS file,
 * problems collected), choose the device, check axe.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { watchPage } from './failure-report.ts';

/** A stubbed showSaveFilePicker (tech-notes §7): an OPFS file; `window.__saved` names it once closed. */
export function stubSavePicker(): void {
  (window as unknown as { showSaveFilePicker: unknown }).showSaveFilePicker = async ({ suggestedName }: { suggestedName: string }) => {
    const root = await navigator.storage.getDirectory();
    const name = `saved-${suggestedName}`;
    const handle = await root.getFileHandle(name, { create: true });
    return {
      kind: 'file',
      name,
      createWritable: async () => {
        const writable = await handle.createWritable();
        const close = writable.close.bind(writable);
        writable.close = async () => {
          await close();
          (window as unknown as { __saved: string }).__saved = name;
        };
        return writable;
      },
    };
  };
}

export interface OpenPage { page: Page; problems: string[] }

/** A new context on the app; `problems` collects console errors, page errors and any request off 127.0.0.1. */
export async function openApp(browser: Browser, origin: string, options: BrowserContextOptions = {}, initScripts: (() => void)[] = [stubSavePicker]): Promise<OpenPage> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true, ...options });
  for (const script of initScripts) await context.addInitScript(script);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => (m.type() === 'error' || /Content Security Policy/i.test(m.text())) && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('request', (r) => !r.url().startsWith(origin) && !/^(blob|data):/.test(r.url()) && problems.push(`request to ${r.url()}`));
  watchPage(page, problems);
  await page.goto(origin);
  return { page, problems };
}

export async function chooseDevice(page: Page, slug = 'raspberrypi4-64'): Promise<void> {
  await page.getByRole('option').first().waitFor();
  await page.locator('#device-search').fill(slug);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: /Continue with/ }).click();
  await expect(page.locator('#step-heading')).toContainText('Image');
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/**
 * The WCAG 2.1 A/AA rules whose result depends on colours: all a colour scheme can change while
 * the page's structure stays the same (app-keyboard.spec.ts runs these in the dark theme).
 */
export const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeOptions {
  /** Selectors of the parts to check (default: the whole document). */
  include?: string[];
  /** Only these rules (default: every rule of AXE_TAGS). */
  rules?: string[];
}

/**
 * axe-core with the WCAG 2.1 A and AA rules: the violations (serious or not), as text.
 *
 * The same axe-core, rules and document as `new AxeBuilder({ page }).withTags(AXE_TAGS).analyze()`,
 * at a fraction of its cost on a page without frames: AxeBuilder injects axe-core's 0.5 MB source
 * on every call and assembles the result in a new blank tab (a renderer started, the source
 * injected again, closed); here the source is injected once per document and `axe.run` answers in
 * the page. A page with frames still goes through AxeBuilder, which checks inside each frame.
 */
export async function axeViolations(page: Page, { include, rules }: AxeOptions = {}): Promise<string[]> {
  let violations: { id: string; impact?: string | null; nodes: { target: unknown }[] }[];
  if (page.frames().length > 1) {
    let builder = new AxeBuilder({ page: page as never });
    for (const selector of include ?? []) builder = builder.include(selector);
    violations = (await (rules ? builder.withRules(rules) : builder.withTags(AXE_TAGS)).analyze()).violations;
  } else {
    if (!(await page.evaluate(() => typeof (window as { axe?: { run?: unknown } }).axe?.run === 'function'))) await page.evaluate(AXE_SOURCE);
    violations = await page.evaluate(
      async ([include, runOnly]) => {
        const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact?: string | null; nodes: { target: unknown }[] }[] }> } }).axe;
        return (await axe.run(include ? { include } : document, { runOnly })).violations;
      },
      [include, rules ? { type: 'rule', values: rules } : { type: 'tag', values: AXE_TAGS }] as const,
    );
  }
  return violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target).join(' ')}`);
}

/** Names of the entries in the OPFS root. */
export async function opfsNames(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const names: string[] = [];
    const root = await navigator.storage.getDirectory();
    for await (const name of (root as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
    return names;
  });
}

/** The file the stubbed save picker wrote (once its writable closed), read back from OPFS. */
export async function savedByPicker(page: Page, timeout = 30_000): Promise<{ name: string; bytes: Uint8Array }> {
  const handle = await page.waitForFunction(() => (window as unknown as { __saved?: string }).__saved, undefined, { timeout });
  const name = (await handle.jsonValue()) as string;
  const base64 = await page.evaluate(async (n) => {
    const bytes = new Uint8Array(await (await (await (await navigator.storage.getDirectory()).getFileHandle(n)).getFile()).arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }, name);
  return { name, bytes: new Uint8Array(Buffer.from(base64, 'base64')) };
}
