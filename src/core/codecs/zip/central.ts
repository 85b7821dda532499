import { CoreError, shownName } from '../../errors.ts';
import { put32, put64, u16, u32, u64 } from '../../bytes/little-endian.ts';
import { corrupt } from '../kit/errors.ts';
import { decodeName, findExtra, MAX32, SIG } from './records.ts';

/** One central directory entry (APPNOTE 4.3.12), sizes and offset resolved through ZIP64 (4.5.3). */
export interface CentralEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/**
 * Parses `count` central directory entries from `bytes` (which start at the central directory).
 * A record that is not an entry, or runs past the bytes, is ARCHIVE_CORRUPT.
 */
export function parseCentral(bytes: Uint8Array, count: number): CentralEntry[] {
  const out: CentralEntry[] = [];
  let pos = 0;
  for (let i = 0; i < count; i++) {
    if (pos + 46 > bytes.length || u32(bytes, pos) !== SIG.central) {
      throw corrupt(`The zip central directory is damaged: entry ${i + 1} of ${count} is missing or malformed.`);
    }
    const nameLen = u16(bytes, pos + 28);
    const extraLen = u16(bytes, pos + 30);
    const next = pos + 46 + nameLen + extraLen + u16(bytes, pos + 32);
    if (next > bytes.length) throw corrupt(`The zip central directory is damaged: entry ${i + 1} runs past its end.`);
    const flags = u16(bytes, pos + 8);
    const e: CentralEntry = {
      name: decodeName(bytes.subarray(pos + 46, pos + 46 + nameLen), flags),
      flags,
      method: u16(bytes, pos + 10),
      crc: u32(bytes, pos + 16),
      compressedSize: u32(bytes, pos + 20),
      size: u32(bytes, pos + 24),
      localOffset: u32(bytes, pos + 42),
    };
    // ZIP64 extra: only the fields whose 32-bit value is 0xFFFFFFFF, in this order (4.5.3).
    const z = findExtra(bytes, pos + 46 + nameLen, extraLen, 0x0001);
    let zp = z ? z.start : 0;
    for (const k of ['size', 'compressedSize', 'localOffset'] as const) {
      if (e[k] !== MAX32) continue;
      if (!z || zp + 8 > z.start + z.length) throw corrupt(`The zip central directory entry of ${shownName(e.name)} lacks the ZIP64 field its ${k} needs.`);
      e[k] = u64(bytes, zp);
      zp += 8;
    }
    out.push(e);
    pos = next;
  }
  return out;
}

export interface CentralPatch {
  /** Local header offset of the spliced member. */
  imageOffset: number;
  crc: number;
  compressedSize: number;
  /** Growth of the spliced member's compressed data: every later offset moves by this. */
  delta: number;
  /** Input offset of the central directory's first byte. */
  cdOffset: number;
}

/**
 * Rewrites the archive's end (central directory, ZIP64 end record and locator, end record —
 * APPNOTE 4.3.12–4.3.16) for a spliced member: its CRC and compressed size, and every offset that
 * points past it moved by `delta`. `bytes` runs from the central directory to the end of the input.
 */
export function patchCentralDirectory(bytes: Uint8Array, p: CentralPatch): Uint8Array {
  const b = bytes.slice();
  let pos = 0;
  let found = false;
  const moved = (off: number) => (off > p.imageOffset ? off + p.delta : off);
  while (pos + 46 <= b.length && u32(b, pos) === SIG.central) {
    const nameLen = u16(b, pos + 28);
    const extraLen = u16(b, pos + 30);
    const commentLen = u16(b, pos + 32);
    const z = findExtra(b, pos + 46 + nameLen, extraLen, 0x0001);
    // ZIP64 extra in the central directory: only the fields whose 32-bit value is 0xFFFFFFFF, in order (4.5.3).
    let zp = z ? z.start : -1;
    const take = (field: number) => {
      if (!z || u32(b, pos + field) !== MAX32) return -1;
      const at = zp;
      zp += 8;
      return at;
    };
    const zSize = take(24);
    const zCsize = take(20);
    const zOffset = take(42);
    void zSize;
    const offset = zOffset >= 0 ? u64(b, zOffset) : u32(b, pos + 42);
    if (offset === p.imageOffset) {
      found = true;
      put32(b, pos + 16, p.crc);
      if (zCsize >= 0) put64(b, zCsize, p.compressedSize);
      else if (p.compressedSize >= MAX32) throw tooBig();
      else put32(b, pos + 20, p.compressedSize);
    }
    if (zOffset >= 0) put64(b, zOffset, moved(offset));
    else if (moved(offset) >= MAX32) throw tooBig();
    else put32(b, pos + 42, moved(offset));
    pos += 46 + nameLen + extraLen + commentLen;
  }
  if (!found) throw new CoreError('ARCHIVE_CORRUPT', 'The zip central directory has no entry for the image member.');
  const newCd = p.cdOffset + p.delta;
  for (; pos + 4 <= b.length; ) {
    const sig = u32(b, pos);
    if (sig === SIG.zip64End) {
      put64(b, pos + 48, newCd);
      pos += 12 + u64(b, pos + 4);
    } else if (sig === SIG.zip64Locator) {
      put64(b, pos + 8, moved(u64(b, pos + 8)));
      pos += 20;
    } else if (sig === SIG.end) {
      if (u32(b, pos + 16) !== MAX32) {
        if (newCd >= MAX32) throw tooBig();
        put32(b, pos + 16, newCd);
      }
      return b;
    } else if (sig === 0x05054b50) {
      pos += 6 + u16(b, pos + 4); // digital signature (4.3.13)
    } else break;
  }
  throw new CoreError('ARCHIVE_CORRUPT', 'The zip file has no end of central directory record: it is truncated or damaged.');
}

function tooBig(): CoreError {
  return new CoreError('SPLICE_IMPOSSIBLE', 'After the splice an offset in the zip would need ZIP64 fields the archive does not have.');
}
