/**
 * Connection file names NetworkManager will load (balenaos.md §7.2).
 *
 * NM's keyfile plugin (`nm_keyfile_utils_ignore_filename`, formerly
 * `nms_keyfile_utils_should_ignore_file`) silently skips a file in system-connections/ when its
 * name starts with '.', ends with '~', ends with '.pem'/'.der' (any case), or ends with '.'
 * plus exactly six ASCII letters/digits (the mkstemp temporary-file pattern). The last rule is
 * why 'home.backup' or 'a.wifi01' do nothing. Our generated names avoid all of it by using
 * only [a-z0-9-], which is also safe on a case-insensitive FAT volume.
 */

export const MAX_CONNECTION_NAME_LENGTH = 64;

/** Why NetworkManager would ignore a file with this name, or null when it loads it. */
export function nmIgnoresFileName(name: string): string | null {
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (base === '') return 'the name is empty';
  if (base.startsWith('.')) return 'NetworkManager ignores hidden files (names starting with ".")';
  if (base.endsWith('~')) return 'NetworkManager ignores backup files (names ending with "~")';
  const lower = base.toLowerCase();
  if (lower.length > 4 && (lower.endsWith('.pem') || lower.endsWith('.der'))) {
    return 'NetworkManager treats names ending in ".pem" or ".der" as certificates, not profiles';
  }
  const dot = base.lastIndexOf('.');
  if (dot >= 0 && /^[A-Za-z0-9]{6}$/.test(base.slice(dot + 1))) {
    return `NetworkManager ignores names ending in a dot and six letters or digits (like temporary files), here "${base.slice(dot)}"`;
  }
  return null;
}

/** 'Café Home ☕' → 'cafe-home': ASCII letters/digits, '-' between words, lower case. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * `<prefix>-<slug>` made unique against `taken` (compared case-insensitively, because FAT is),
 * by appending -2, -3…; at most MAX_CONNECTION_NAME_LENGTH characters. Adds the result to `taken`.
 */
export function uniqueConnectionName(prefix: string, label: string, taken: Set<string>): string {
  const slug = slugify(label);
  const base = slug ? `${prefix}-${slug}` : prefix;
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : `-${n}`;
    const head = base.slice(0, MAX_CONNECTION_NAME_LENGTH - suffix.length).replace(/-+$/, '');
    const name = head + suffix;
    if (!taken.has(name.toLowerCase())) {
      taken.add(name.toLowerCase());
      return name;
    }
  }
}

/** Lower-cased names the user's own `files` occupy in system-connections/, so generated profiles avoid them. */
export function namesTakenByUserFiles(files: Record<string, string> | undefined): Set<string> {
  const taken = new Set<string>();
  for (const path of Object.keys(files ?? {})) {
    const parts = path.replace(/^\/+/, '').split('/');
    if (parts.length === 2 && parts[0].toLowerCase() === 'system-connections') taken.add(parts[1].toLowerCase());
  }
  return taken;
}
