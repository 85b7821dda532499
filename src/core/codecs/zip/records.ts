import { CoreError, shownName } from '../../errors.ts';
import { put32, put64, u16, u32, u64 } from '../../bytes/little-endian.ts';
import type { ByteSource } from '../../io/byte-source.ts';
import { corrupt, truncated } from '../kit/errors.ts';

/** ZIP record signatures (APPNOTE.TXT 6.3.10: 4.3.7, 4.3.9, 4.3.12–4.3.16). */
export const SIG = {
  local: 0x04034b50,
  descriptor: 0x08074b50,
  central: 0x02014b50,
  zip64End: 0x06064b50,
  zip64Locator: 0x07064b50,
  end: 0x06054b50,
  signature: 0x05054b50,
} as const;

export const FLAG_ENCRYPTED = 0x0001;
export const FLAG_DESCRIPTOR = 0x0008;
export const FLAG_UTF8 = 0x0800;
export const MAX32 = 0xffffffff;
const ZIP64_EXTRA = 0x0001;

/** A local file header (APPNOTE 4.3.7) with its ZIP64 extra field (4.5.3). */
export interface LocalHeader {
  /** Input offset of the header. */
  offset: number;
  /** The header bytes (name and extra included): the data starts at offset + bytes.length. */
  bytes: Uint8Array;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  name: string;
  /** Offsets inside `bytes` of the 64-bit sizes in the ZIP64 extra, when present. */
  zip64?: { size?: number; compressedSize?: number };
}

/** Reads the local header at `offset` (random access). */
export async function readLocalHeader(input: ByteSource, offset: number): Promise<LocalHeader> {
  const fixed = await readAt(input, offset, 30, 'a zip local header');
  if (u32(fixed, 0) !== SIG.local) throw corrupt(`The zip central directory points to byte ${offset}, where there is no local header: the archive is damaged.`, { offset });
  const nameLen = u16(fixed, 26);
  const extraLen = u16(fixed, 28);
  const bytes = await readAt(input, offset, 30 + nameLen + extraLen, 'a zip local header');
  const flags = u16(fixed, 6);
  const h: LocalHeader = {
    offset,
    bytes,
    flags,
    method: u16(fixed, 8),
    crc: u32(fixed, 14),
    compressedSize: u32(fixed, 18),
    size: u32(fixed, 22),
    name: decodeName(bytes.subarray(30, 30 + nameLen), flags),
  };
  const z = findExtra(bytes, 30 + nameLen, extraLen, ZIP64_EXTRA);
  if (z) {
    // In a local header the ZIP64 extra holds the original size then the compressed size
    // (APPNOTE 4.5.3); a writer may include only the one whose 32-bit field is 0xFFFFFFFF.
    h.zip64 = {};
    let p = z.start;
    const end = z.start + z.length;
    if ((h.size === MAX32 || z.length >= 16) && p + 8 <= end) {
      h.zip64.size = p;
      h.size = u64(bytes, p);
      p += 8;
    }
    if ((h.compressedSize === MAX32 || z.length >= 16) && p + 8 <= end) {
      h.zip64.compressedSize = p;
      h.compressedSize = u64(bytes, p);
    }
  }
  return h;
}

export function decodeName(bytes: Uint8Array, flags: number): string {
  return new TextDecoder(flags & FLAG_UTF8 ? 'utf-8' : 'latin1').decode(bytes);
}

/** Finds an extra field (APPNOTE 4.5.1: id, size, data) inside `bytes[from, from + length)`. */
export function findExtra(bytes: Uint8Array, from: number, length: number, id: number): { start: number; length: number } | undefined {
  let p = from;
  const end = from + length;
  while (p + 4 <= end) {
    const fid = u16(bytes, p);
    const n = u16(bytes, p + 2);
    if (fid === id) return { start: p + 4, length: Math.min(n, end - p - 4) };
    p += 4 + n;
  }
  return undefined;
}

/** A data descriptor (APPNOTE 4.3.9) as found after a member's data. */
export interface DataDescriptor {
  bytes: Uint8Array;
  crc: number;
  compressedSize: number;
  size: number;
  signed: boolean;
  wide: boolean;
}

/**
 * Reads the data descriptor at `at`, just after the member's data: with or without its optional
 * signature, with 32- or 64-bit sizes (APPNOTE 4.3.9). The layout whose sizes equal the central
 * directory's wins — both are read, since the low half of a 64-bit size also fits the 32-bit
 * layout; none matching is ARCHIVE_CORRUPT.
 */
export async function readDescriptor(input: ByteSource, at: number, expect: { compressedSize: number; size: number }, name: string): Promise<DataDescriptor> {
  const avail = Math.min(24, input.size - at);
  if (avail < 12) throw truncated(`the data descriptor of zip member ${shownName(name)}`, input.size);
  const b = await readAt(input, at, avail, 'a zip data descriptor');
  const signed = u32(b, 0) === SIG.descriptor;
  const base = signed ? 4 : 0;
  for (const wide of [true, false]) {
    const len = base + (wide ? 20 : 12);
    if (len > b.length) continue;
    const csize = wide ? u64(b, base + 4) : u32(b, base + 4);
    const size = wide ? u64(b, base + 12) : u32(b, base + 8);
    if (csize === (wide ? expect.compressedSize : expect.compressedSize % 2 ** 32) && size === (wide ? expect.size : expect.size % 2 ** 32)) {
      return { bytes: b.slice(0, len), crc: u32(b, base), compressedSize: expect.compressedSize, size: expect.size, signed, wide };
    }
  }
  throw corrupt(`The data descriptor of zip member ${shownName(name)} (at byte ${at}) does not match the sizes in the central directory.`, { offset: at });
}

/** A data descriptor with new CRC and compressed size, in the same layout. */
export function patchDescriptor(d: DataDescriptor, crc: number, compressedSize: number): Uint8Array {
  const b = d.bytes.slice();
  const base = d.signed ? 4 : 0;
  put32(b, base, crc);
  if (d.wide) put64(b, base + 4, compressedSize);
  else {
    if (compressedSize > MAX32) throw new CoreError('SPLICE_IMPOSSIBLE', 'The spliced zip member no longer fits a 32-bit data descriptor.');
    put32(b, base + 4, compressedSize);
  }
  return b;
}

/** The local header with new CRC and compressed size (32-bit fields or the ZIP64 extra). */
export function patchLocalHeader(h: LocalHeader, crc: number, compressedSize: number): Uint8Array {
  const b = h.bytes.slice();
  put32(b, 14, crc);
  if (h.zip64?.compressedSize !== undefined) put64(b, h.zip64.compressedSize, compressedSize);
  else if (compressedSize >= MAX32) throw new CoreError('SPLICE_IMPOSSIBLE', 'The spliced zip member would need ZIP64 sizes its header has no room for.');
  else put32(b, 18, compressedSize);
  return b;
}

/** `length` bytes at `offset`, or ARCHIVE_CORRUPT (truncated) naming `what`. */
export async function readAt(input: ByteSource, offset: number, length: number, what: string): Promise<Uint8Array> {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset + length > input.size) throw truncated(what, Math.min(Math.max(offset, 0), input.size));
  return (await input.read(offset, length)).slice();
}
