/** Debian's Chromium under Playwright (tech-notes §7): never a downloaded browser. */
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.PREFLASH_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];
