import { CoreError } from '../errors.ts';
import type { InputReader } from './stream-reader.ts';
import { concat } from './stream-reader.ts';

/** ZIP record signatures (APPNOTE.TXT 6.3.10: 4.3.7, 4.3.9, 4.3.12, 4.3.14–4.3.16). */
export const SIG = {
  local: 0x04034b50,
  descriptor: 0x08074b50,
  central: 0x02014b50,
  zip64End: 0x06064b50,
  zip64Locator: 0x07064b50,
  end: 0x06054b50,
} as const;

export const FLAG_ENCRYPTED = 0x0001;
export const FLAG_DESCRIPTOR = 0x0008;
const MAX32 = 0xffffffff;
const ZIP64_EXTRA = 0x0001;

/** A local file header (APPNOTE 4.3.7) with its ZIP64 extra field (4.5.3), as read from the stream. */
export interface LocalHeader {
  /** Absolute input offset of the header. */
  offset: number;
  /** The header bytes as read (name and extra included). */
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

export function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
export function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}
export function u64(b: Uint8Array, o: number): number {
  return u32(b, o) + u32(b, o + 4) * 2 ** 32;
}
export function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
}
export function put64(b: Uint8Array, o: number, v: number): void {
  put32(b, o, v % 2 ** 32);
  put32(b, o + 4, Math.floor(v / 2 ** 32));
}

/** Reads a local file header at the reader's position (the signature already checked by the caller). */
export async function readLocalHeader(reader: InputReader): Promise<LocalHeader> {
  const offset = reader.position;
  const fixed = await reader.readExact(30, 'a zip local header');
  const nameLen = u16(fixed, 26);
  const extraLen = u16(fixed, 28);
  const rest = await reader.readExact(nameLen + extraLen, 'a zip local header');
  const bytes = concat([fixed, rest]);
  const flags = u16(fixed, 6);
  const h: LocalHeader = {
    offset,
    bytes,
    flags,
    method: u16(fixed, 8),
    crc: u32(fixed, 14),
    compressedSize: u32(fixed, 18),
    size: u32(fixed, 22),
    name: new TextDecoder(flags & 0x800 ? 'utf-8' : 'latin1').decode(rest.subarray(0, nameLen)),
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
 * Reads the data descriptor after `dataLength` bytes of member data: with or without its optional
 * signature, with 32- or 64-bit sizes. The layout whose compressed size equals the real data
 * length wins (that is the only check a stream allows, and it is exact).
 */
export async function readDescriptor(reader: InputReader, dataLength: number, wideFirst: boolean): Promise<DataDescriptor> {
  const peek = await reader.readExact(12, 'a zip data descriptor');
  reader.unread(peek);
  const signed = u32(peek, 0) === SIG.descriptor;
  const layouts = [wideFirst, !wideFirst];
  for (const wide of layouts) {
    const base = signed ? 4 : 0;
    const len = base + (wide ? 20 : 12);
    const bytes = await reader.readExact(len, 'a zip data descriptor');
    const csize = wide ? u64(bytes, base + 4) : u32(bytes, base + 4);
    if (csize === (wide ? dataLength : dataLength % 2 ** 32)) {
      return { bytes, crc: u32(bytes, base), compressedSize: csize, size: wide ? u64(bytes, base + 12) : u32(bytes, base + 8), signed, wide };
    }
    reader.unread(bytes);
  }
  throw new CoreError('ARCHIVE_CORRUPT', `The zip data descriptor at byte ${reader.position} does not match the member's ${dataLength} compressed bytes.`, {
    offset: reader.position,
  });
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
