import { zipSync, type Zippable } from 'fflate';
import { generateBootFiles } from '../balena/index.ts';
import type { Settings } from '../settings/types.ts';
import { resolveTimestamp } from './timestamp.ts';

/**
 * The generated boot-partition files as a small zip (stored, not deflated: they are a few KB), laid
 * out as on the boot partition. fflate fits here: small, in memory, deterministic with a fixed mtime.
 */
export function buildBundle(settings: Settings, deviceSlug: string, when?: Date | number | string): { zip: Uint8Array; files: string[] } {
  const timestamp = resolveTimestamp(when);
  const files = generateBootFiles(settings, { deviceType: deviceSlug });
  const tree: Zippable = {};
  for (const f of files) tree[f.path] = [f.content, { level: 0, mtime: timestamp }];
  return { zip: zipSync(tree, { level: 0, mtime: timestamp }), files: files.map((f) => f.path) };
}
