/**
 * The generator registry (one file per generator, one line here) and `generateBootFiles`,
 * which runs them all and checks that no two outputs collide on the case-insensitive FAT volume.
 */
import { CoreError } from '../errors.ts';
import type { Settings } from '../settings/types.ts';
import { cellularGenerator } from './cellular.ts';
import { configJsonGenerator } from './config-json.ts';
import { ethernetGenerator } from './ethernet.ts';
import { proxyGenerator } from './proxy.ts';
import type { BootFile, ConfigGenerator, GeneratorContext } from './types.ts';
import { userFilesGenerator } from './user-files.ts';
import { wifiGenerator } from './wifi.ts';
import { wireguardGenerator } from './wireguard.ts';

export const generators: readonly ConfigGenerator[] = [
  configJsonGenerator,
  wifiGenerator,
  ethernetGenerator,
  cellularGenerator,
  wireguardGenerator,
  proxyGenerator,
  userFilesGenerator,
];

/** Every file to write, sorted by path; throws SETTINGS_INVALID when two outputs share a path (ignoring case). */
export function generateBootFiles(
  settings: Settings,
  context: GeneratorContext,
  registry: readonly ConfigGenerator[] = generators,
): BootFile[] {
  const owners = new Map<string, { generator: string; path: string }>();
  const files: BootFile[] = [];
  for (const generator of registry) {
    for (const file of generator.generate(settings, context)) {
      const key = file.path.toLowerCase();
      const previous = owners.get(key);
      if (previous) throw clash(previous, { generator: generator.id, path: file.path });
      owners.set(key, { generator: generator.id, path: file.path });
      files.push(file);
    }
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function clash(a: { generator: string; path: string }, b: { generator: string; path: string }): CoreError {
  const what =
    a.path === b.path
      ? `The boot-partition file "${a.path}" would be written twice (by ${a.generator} and ${b.generator}).`
      : `The boot-partition files "${a.path}" and "${b.path}" differ only in case, which the FAT boot partition cannot keep apart (${a.generator}, ${b.generator}).`;
  return new CoreError('SETTINGS_INVALID', what, { paths: [a.path, b.path], generators: [a.generator, b.generator] });
}
