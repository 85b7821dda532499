/**
 * Magic numbers of compressed and archive formats, for detection and for rejecting an image that is
 * itself compressed (nested compression). Sources: RFC 1952 §2.3.1 (gzip), APPNOTE.TXT 4.3.7 (zip),
 * xz-file-format §2.1.1.1 (xz), bzip2 "BZh", RFC 8878 §3.1.1 (zstd), 7z signature header, lz4 frame.
 */
export interface Magic {
  name: string;
  bytes: readonly number[];
}

export const MAGICS: readonly Magic[] = [
  { name: 'gzip', bytes: [0x1f, 0x8b] },
  { name: 'zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: 'xz', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { name: 'bzip2', bytes: [0x42, 0x5a, 0x68] },
  { name: 'zstd', bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  { name: '7-Zip', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { name: 'lz4', bytes: [0x04, 0x22, 0x4d, 0x18] },
  { name: 'lzma', bytes: [0x5d, 0x00, 0x00] },
];

/** The compressed format `head` starts with, if any. */
export function magicOf(head: Uint8Array): Magic | undefined {
  return MAGICS.find((m) => m.bytes.length <= head.length && m.bytes.every((b, i) => head[i] === b));
}
