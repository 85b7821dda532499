/**
 * Where the structures of a base image are, so mutations can aim at them: MBR entries and EBRs,
 * GPT headers and entry arrays, the boot FAT's BPB, FSInfo, FAT copies, chains and directory
 * slots (short entries and long-name entries). Found once per fixture with the core's own readers
 * on the pristine image.
 */
import { parseBootSector, type FatGeometry } from '../../src/core/fat/boot-sector.ts';
import { FatVolume } from '../../src/core/fat/volume.ts';
import { MemoryDisk } from '../../src/core/io/memory.ts';
import { subrangeStore } from '../../src/core/io/subrange.ts';
import type { Fixture } from './fixtures.ts';

export interface Slot {
  /** Absolute byte offset of the 32-byte entry in the image. */
  offset: number;
  kind: 'short' | 'lfn';
  isDirectory: boolean;
}

export interface Layout {
  size: number;
  table: 'mbr' | 'gpt' | 'none';
  ebrs: number[];
  gpt?: { primary: number; backup: number; entries: number; entriesBytes: number; backupEntries: number };
  boot: { start: number; size: number; g: FatGeometry };
  /** Clusters used by files and folders of the boot FAT (chains in order). */
  chains: number[][];
  slots: Slot[];
}

const u32 = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000;

export async function findLayout(f: Fixture, bytes: Uint8Array): Promise<Layout> {
  const table = f.bootStart === 0 ? 'none' : bytes[446 + 4] === 0xee ? 'gpt' : 'mbr';
  const ebrs: number[] = [];
  if (table === 'mbr') {
    for (let i = 0; i < 4; i++) {
      const e = 446 + 16 * i;
      if (bytes[e + 4] === 0x05 || bytes[e + 4] === 0x0f) {
        const ext = u32(bytes, e + 8) * 512;
        for (let ebr = ext; ebrs.length < 8; ) {
          ebrs.push(ebr);
          const next = u32(bytes, ebr + 446 + 16 + 8);
          if (next === 0) break;
          ebr = ext + next * 512;
        }
      }
    }
  }
  let gpt: Layout['gpt'];
  if (table === 'gpt') {
    const entries = u32(bytes, 512 + 72) * 512;
    const entriesBytes = u32(bytes, 512 + 80) * u32(bytes, 512 + 84);
    const backup = u32(bytes, 512 + 32) * 512;
    gpt = { primary: 512, backup, entries, entriesBytes, backupEntries: u32(bytes, backup + 72) * 512 };
  }
  const disk = new MemoryDisk(bytes.slice(f.bootStart, f.bootStart + f.bootSize));
  const g = parseBootSector(disk.bytes.subarray(0, 512), f.bootSize);
  const vol = await FatVolume.open(subrangeStore(disk, 0, f.bootSize));
  const chains: number[][] = [];
  const slots: Slot[] = [];
  const walk = async (cluster: number, path: string): Promise<void> => {
    const dir = await vol.directory(cluster, path);
    if (cluster !== 0) chains.push(dir.clusters);
    for (const r of dir.records()) {
      for (let s = r.firstSlot; s <= r.slot; s++) {
        slots.push({ offset: f.bootStart + dir.slotOffset(s), kind: s === r.slot ? 'short' : 'lfn', isDirectory: r.isDirectory });
      }
      const p = path ? `${path}/${r.name}` : r.name;
      if (r.isDirectory) await walk(r.firstCluster, p);
      else if (r.firstCluster) chains.push(vol.fileChain(r, p));
    }
  };
  await walk(vol.rootCluster, '');
  return { size: bytes.length, table, ebrs, gpt, boot: { start: f.bootStart, size: f.bootSize, g }, chains, slots };
}
