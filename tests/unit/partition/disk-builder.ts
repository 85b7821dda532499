/**
 * Builds partition tables byte by byte for the unit tests, straight from the specs (MBR:
 * balenaos.md §1.1; GPT: UEFI 2.10 §5.3; BPB: fatgen103 §3) — independent of the parser's code.
 */
import { crc32 } from '../../../src/core/bytes/crc32.ts';
import type { ByteSource } from '../../../src/core/io/byte-source.ts';
import { MemoryDisk } from '../../../src/core/io/memory.ts';

export interface MbrEntrySpec {
  type: number;
  start: number; // LBA
  sectors: number;
  active?: boolean;
  status?: number;
}

function setU32(b: Uint8Array, at: number, v: number): void {
  new DataView(b.buffer, b.byteOffset).setUint32(at, v, true);
}

function setU64(b: Uint8Array, at: number, v: number): void {
  new DataView(b.buffer, b.byteOffset).setBigUint64(at, BigInt(v), true);
}

/** Writes a table sector (MBR or EBR) at byte `at`: up to four entries and 55 AA. */
export function writeTableSector(disk: Uint8Array, at: number, entries: (MbrEntrySpec | null)[], diskSignature = 0): void {
  const s = disk.subarray(at, at + 512);
  setU32(s, 440, diskSignature);
  entries.forEach((e, i) => {
    if (!e) return;
    const o = 0x1be + 16 * i;
    s[o] = e.status ?? (e.active ? 0x80 : 0);
    s[o + 4] = e.type;
    setU32(s, o + 8, e.start);
    setU32(s, o + 12, e.sectors);
  });
  s[510] = 0x55;
  s[511] = 0xaa;
}

/** Mixed-endian GUID bytes (UEFI appendix A). */
export function encodeGuid(guid: string): Uint8Array {
  const hex = guid.replace(/-/g, '');
  const bytes = Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return Uint8Array.from(order, (i) => bytes[i]);
}

export interface GptEntrySpec {
  slot?: number; // 0-based entry index; default: position in the list
  type: string;
  guid: string;
  first: number;
  last: number;
  name: string;
}

export interface GptSpec {
  sectorSize: number;
  totalSectors: number;
  diskGuid: string;
  entries: GptEntrySpec[];
  entryCount?: number;
}

export const ESP = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';
export const BASIC_DATA = 'EBD0A0A2-B9E5-4433-87C0-68B6B72699C7';
export const LINUX_FS = '0FC63DAF-8483-4772-8E79-3D69D8477DE4';

function gptHeader(spec: GptSpec, myLba: number, alternateLba: number, entriesLba: number, entriesCrc: number): Uint8Array {
  const h = new Uint8Array(spec.sectorSize);
  h.set(new TextEncoder().encode('EFI PART'), 0);
  setU32(h, 8, 0x00010000);
  setU32(h, 12, 92);
  setU64(h, 0x18, myLba);
  setU64(h, 0x20, alternateLba);
  const arraySectors = Math.ceil(((spec.entryCount ?? 128) * 128) / spec.sectorSize);
  setU64(h, 0x28, 2 + arraySectors);
  setU64(h, 0x30, spec.totalSectors - 2 - arraySectors);
  h.set(encodeGuid(spec.diskGuid), 0x38);
  setU64(h, 0x48, entriesLba);
  setU32(h, 0x50, spec.entryCount ?? 128);
  setU32(h, 0x54, 128);
  setU32(h, 0x58, entriesCrc);
  setU32(h, 0x10, crc32(h.subarray(0, 92)));
  return h;
}

/** A whole GPT disk: protective MBR, primary header + entries, backup entries + header at the end. */
export function buildGptDisk(spec: GptSpec): Uint8Array {
  const ss = spec.sectorSize;
  const count = spec.entryCount ?? 128;
  const disk = new Uint8Array(spec.totalSectors * ss);
  writeTableSector(disk, 0, [{ type: 0xee, start: 1, sectors: Math.min(spec.totalSectors - 1, 0xffffffff) }]);
  const array = new Uint8Array(count * 128);
  spec.entries.forEach((e, i) => {
    const o = (e.slot ?? i) * 128;
    array.set(encodeGuid(e.type), o);
    array.set(encodeGuid(e.guid), o + 16);
    setU64(array, o + 32, e.first);
    setU64(array, o + 40, e.last);
    for (let c = 0; c < e.name.length; c++) new DataView(array.buffer).setUint16(o + 56 + 2 * c, e.name.charCodeAt(c), true);
  });
  const arrayCrc = crc32(array);
  const arraySectors = Math.ceil(array.length / ss);
  const last = spec.totalSectors - 1;
  disk.set(gptHeader(spec, 1, last, 2, arrayCrc), ss);
  disk.set(array, 2 * ss);
  disk.set(array, (last - arraySectors) * ss);
  disk.set(gptHeader(spec, last, 1, last - arraySectors, arrayCrc), last * ss);
  return disk;
}

/** A minimal FAT boot sector (BPB) with a volume label; enough for looksLikeFatBootSector/readBpbLabel. */
export function fatBootSector(opts: { fat32?: boolean; label?: string; totalSectors: number; bytesPerSector?: number }): Uint8Array {
  const s = new Uint8Array(512);
  s.set([0xeb, 0x3c, 0x90], 0);
  s.set(new TextEncoder().encode('mkfs.fat'), 3);
  const dv = new DataView(s.buffer);
  dv.setUint16(0x0b, opts.bytesPerSector ?? 512, true);
  s[0x0d] = opts.fat32 ? 1 : 4;
  dv.setUint16(0x0e, opts.fat32 ? 32 : 4, true);
  s[0x10] = 2;
  if (opts.totalSectors < 0x10000 && !opts.fat32) dv.setUint16(0x13, opts.totalSectors, true);
  else dv.setUint32(0x20, opts.totalSectors, true);
  s[0x15] = 0xf8;
  const label = (opts.label ?? 'NO NAME').padEnd(11, ' ');
  if (opts.fat32) {
    dv.setUint32(0x24, 600, true);
    s[0x42] = 0x29;
    s.set(new TextEncoder().encode(label), 0x47);
  } else {
    dv.setUint16(0x16, 40, true);
    s[0x26] = 0x29;
    s.set(new TextEncoder().encode(label), 0x2b);
  }
  s[510] = 0x55;
  s[511] = 0xaa;
  return s;
}

/** A source that records every read, optionally pretending its size is unknown (a stream). */
export function recordingSource(bytes: Uint8Array, opts: { unknownSize?: boolean } = {}): ByteSource & { reads: [number, number][] } {
  const disk = new MemoryDisk(bytes);
  const reads: [number, number][] = [];
  return {
    reads,
    size: opts.unknownSize ? Number.POSITIVE_INFINITY : bytes.length,
    read(offset, length) {
      reads.push([offset, length]);
      return disk.read(offset, length);
    },
  };
}
