import { CoreError, shownName } from '../../errors.ts';

/** Names that are disk images we can configure (balenaOS: .img; Yocto: .hddimg (Edison), .wic, .sdcard, .rpi-sdimg). */
const IMAGE = /\.(img|hddimg|raw|wic|sdcard|rpi-sdimg|balenaos-img|iso)$/i;
const COMPRESSED = /\.(gz|xz|zip|bz2|zst|7z|lz4)$/i;

export type MemberKind = 'image' | 'nested' | 'other';

/**
 * Classifies an archive member by name. `.bin` is deliberately not an image: firmware archives
 * (Edison's u-boot, IFWI) are full of small .bin files. A compressed image inside the archive
 * (`x.img.gz`) is "nested": reported, not opened.
 */
export function memberKind(name: string, chosen?: string): MemberKind {
  if (chosen !== undefined) return name === chosen ? 'image' : 'other';
  if (name.endsWith('/') || name.startsWith('__MACOSX/')) return 'other';
  if (IMAGE.test(name)) return 'image';
  if (COMPRESSED.test(name) && IMAGE.test(name.replace(COMPRESSED, ''))) return 'nested';
  return 'other';
}

export function ambiguous(names: readonly string[]): CoreError {
  return new CoreError('ARCHIVE_AMBIGUOUS', `The archive holds several disk images (${names.map((n) => shownName(n)).join(', ')}); choose one.`, { candidates: [...names] });
}

/** The error for an archive walked to its end without an image member. */
export function noImage(names: readonly string[], nested: readonly string[], chosen?: string): CoreError {
  if (chosen !== undefined) {
    return new CoreError('ARCHIVE_NO_IMAGE', `The archive has no member named "${shownName(chosen)}"; it holds ${list(names)}.`, { members: [...names] });
  }
  if (nested.length > 0) {
    return new CoreError('ARCHIVE_UNSUPPORTED', `The archive holds only compressed images (${nested.map((n) => shownName(n)).join(', ')}), nested compression is not supported; extract it first.`, {
      reason: 'nested',
      members: [...names],
    });
  }
  return new CoreError('ARCHIVE_NO_IMAGE', `The archive holds no disk image (.img, .hddimg, .raw, .wic…); it holds ${list(names)}.`, { members: [...names] });
}

function list(names: readonly string[]): string {
  if (names.length === 0) return 'no files';
  const shown = names.slice(0, 12).map((n) => shownName(n)).join(', ');
  return names.length > 12 ? `${shown} and ${names.length - 12} more` : shown;
}

/** The member holding the disk image: the one candidate, or exactly `chosen`. Several are ARCHIVE_AMBIGUOUS. */
export function selectImage<E extends { name: string }>(entries: readonly E[], chosen?: string): E {
  const names = entries.map((e) => e.name);
  const images = entries.filter((e) => memberKind(e.name, chosen) === 'image');
  if (images.length === 0) throw noImage(names, names.filter((n) => memberKind(n) === 'nested'), chosen);
  if (images.length > 1) throw ambiguous(images.map((e) => e.name));
  return images[0];
}
