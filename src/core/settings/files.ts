/**
 * `files`: extra boot-partition files given verbatim ("system-connections/office" → text).
 * Paths are relative, '/'-separated (balena-cli #2704 wrote backslashes into the FAT root), valid
 * FAT long names, unique ignoring case (FAT is case-insensitive), and may not replace config.json
 * (written from the typed settings) or the files balenaOS owns (balenaos.md §5.3).
 */
import { Issues, keyPath } from './issues.ts';
import { isPlainObject } from './shape.ts';
import { nmIgnoresFileName } from '../balena/file-names.ts';

const OWNED_BY_BALENAOS = [
  'device-type.json',
  'os-release',
  'image-version-info',
  'balenaos.fingerprint',
  'balena-image',
  'balena-image-flasher',
  'resinos_uenv.txt',
  'bootenv',
  'bootcount.env',
];

function segmentProblem(segment: string): string | undefined {
  if (segment === '') return "has an empty folder name ('//' or a '/' at an end)";
  if (segment === '.' || segment === '..') return "must not contain '.' or '..' folders";
  // eslint-disable-next-line no-control-regex
  const bad = /["*:<>?|\u0000-\u001f\u007f]/.exec(segment);
  if (bad) return `${JSON.stringify(bad[0])} is not allowed in FAT file names`;
  if (/[. ]$/.test(segment)) return `"${segment}" ends with a dot or space, which FAT drops`;
  if (segment.length > 255) return 'has a name longer than 255 characters (the FAT long-name limit)';
  return undefined;
}

/** Problem with one `files` key, or undefined. */
export function bootFilePathProblem(path: string): string | undefined {
  if (path === '') return 'the file path must not be empty';
  if (path.includes('\\')) return "use '/' between folders, not '\\'";
  if (path.startsWith('/')) return "must be relative to the boot partition (no leading '/')";
  for (const segment of path.split('/')) {
    const problem = segmentProblem(segment);
    if (problem) return problem;
  }
  const lower = path.toLowerCase();
  if (lower === 'config.json') return 'config.json is written from the typed settings (hostname, network, ssh, os, cloud), not from files';
  if (OWNED_BY_BALENAOS.includes(lower)) return `${path} belongs to balenaOS and must not be replaced`;
  const parts = path.split('/');
  if (parts[0].toLowerCase() === 'system-connections') {
    if (parts.length !== 2) return 'NetworkManager reads only files directly inside system-connections/, not in sub-folders';
    const ignored = nmIgnoresFileName(parts[1]);
    if (ignored) return ignored;
  }
  return undefined;
}

export function checkFiles(value: unknown, path: string, issues: Issues): void {
  if (!isPlainObject(value)) return issues.add(path, 'must be an object');
  const seen = new Map<string, string>();
  for (const [name, text] of Object.entries(value)) {
    const filePath = keyPath(path, name);
    const problem = bootFilePathProblem(name);
    if (problem) issues.add(filePath, problem);
    if (typeof text !== 'string') issues.add(filePath, 'must be a string (the file text)');
    const first = seen.get(name.toLowerCase());
    if (first !== undefined) issues.add(filePath, `names the same file as ${keyPath(path, first)} (FAT ignores case)`);
    else seen.set(name.toLowerCase(), name);
  }
}
