/**
 * Builds a partitioned disk image in memory from a declarative spec: lays the partitions out one
 * after another, writes the MBR (with EBRs for logicals) or the GPT, formats the FAT partitions
 * with the core's mkfs and fills them through `FatVolume`. The result is a `SparseDisk`, so a
 * 100 MiB layout with empty root partitions costs a few hundred KiB. Same spec ⇒ same bytes.
 *
 * Partitions without `fat` are left as zeros: the table describes them, nothing is inside.
 */
import { CoreError } from '../errors.ts';
import { formatFat, type FatFormatOptions, type FatFormatPlan } from '../fat/mkfs.ts';
import { FatVolume } from '../fat/volume.ts';
import { subrangeStore } from '../io/subrange.ts';
import { writeGpt, gptUsableRange } from './gpt-writer.ts';
import { writeMbr, type MbrLogical, type MbrSlot } from './mbr-writer.ts';
import { SparseDisk } from './sparse-disk.ts';

const MiB = 1024 * 1024;

export interface FatContent extends FatFormatOptions {
  /** Path (with `/`) → content; folders are made as needed. Written in the order given. */
  files?: Record<string, string | Uint8Array>;
}

export interface DiskPartitionSpec {
  /** Bytes, a multiple of the sector size. */
  size: number;
  /** MBR: the type byte (0x0C FAT32-LBA, 0x0E FAT16-LBA, 0x83 Linux); GPT: the type GUID. */
  type: number | string;
  /** GPT partition name. */
  name?: string;
  /** GPT unique partition GUID; default `00000000-0000-4000-8000-<index as 12 digits>`. */
  guid?: string;
  /** MBR active flag. */
  bootable?: boolean;
  /** MBR: a logical partition inside the (single) extended partition; logicals come last. */
  logical?: boolean;
  /**
   * Format as FAT and write these files. BPB_HiddSec stays 0 unless given, as in balenaOS images
   * (their build runs mkfs.vfat on a separate file and copies it in).
   */
  fat?: FatContent;
}

export interface DiskImageSpec {
  table: 'mbr' | 'gpt';
  partitions: DiskPartitionSpec[];
  /** Byte offset of the first partition. Default 4 MiB (balenaOS's reserved space, balenaos.md §3.1). */
  firstOffset?: number;
  /** MBR: room left before each logical for its EBR. Default 4 MiB (meta-balena's gap). */
  logicalGap?: number;
  /** Bytes after the last partition. Default 1 MiB (GPT: it must hold the backup table). */
  tail?: number;
  /** MBR disk signature (number) or GPT disk GUID (string). */
  diskId?: number | string;
  /** Timestamp of every directory entry written. Default 2000-01-01T00:00:00Z. */
  timestamp?: Date;
}

export interface BuiltPartition {
  /** Linux numbering: primaries 1–4 (MBR: the extended one takes a slot), logicals from 5; GPT: entry + 1. */
  index: number;
  start: number;
  size: number;
  fat?: FatFormatPlan;
}

export interface BuiltDiskImage {
  disk: SparseDisk;
  /** In spec order. */
  partitions: BuiltPartition[];
}

const SECTOR = 512;

function bad(message: string): CoreError {
  return new CoreError('INTERNAL', `Disk image spec: ${message}`);
}

/** Where each partition goes, and the disk size. */
function place(spec: DiskImageSpec): { starts: number[]; extended?: { start: number; end: number }; ebrs: number[]; size: number } {
  const gap = spec.logicalGap ?? 4 * MiB;
  let at = spec.firstOffset ?? 4 * MiB;
  const starts: number[] = [];
  const ebrs: number[] = [];
  let extended: { start: number; end: number } | undefined;
  spec.partitions.forEach((p, i) => {
    if (p.size <= 0 || p.size % SECTOR !== 0) throw bad(`partition ${i + 1} has ${p.size} bytes, not a positive multiple of ${SECTOR}.`);
    if (p.logical) {
      if (spec.table !== 'mbr') throw bad('logical partitions exist only in an MBR.');
      if (spec.partitions.slice(i).some((q) => !q.logical)) throw bad('logical partitions must come last.');
      if (!extended) extended = { start: at, end: at };
      ebrs.push(at);
      at += gap;
    }
    starts.push(at);
    at += p.size;
    if (p.logical) extended!.end = at;
  });
  const tail = spec.tail ?? MiB;
  if (spec.table === 'gpt' && tail < 33 * SECTOR) throw bad('a GPT needs at least 33 sectors after the last partition.');
  return { starts, extended, ebrs, size: at + tail };
}

async function writeTable(disk: SparseDisk, spec: DiskImageSpec, starts: number[], ebrs: number[], extended?: { start: number; end: number }): Promise<number[]> {
  const lba = (bytes: number) => bytes / SECTOR;
  if (spec.table === 'gpt') {
    const totalSectors = lba(disk.size);
    await writeGpt(disk, {
      sectorSize: SECTOR,
      totalSectors,
      diskGuid: typeof spec.diskId === 'string' ? spec.diskId : '11111111-2222-3333-4444-555555555555',
      partitions: spec.partitions.map((p, i) => ({
        typeGuid: String(p.type),
        guid: p.guid ?? `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
        firstLba: lba(starts[i]),
        lastLba: lba(starts[i] + p.size) - 1,
        name: p.name,
      })),
    });
    if (lba(starts[0]) < gptUsableRange(SECTOR, totalSectors).firstUsable) throw bad('the first partition overlaps the GPT.');
    return spec.partitions.map((_, i) => i + 1);
  }
  const slot = (p: DiskPartitionSpec, i: number): MbrSlot => {
    if (typeof p.type !== 'number') throw bad(`partition ${i + 1} needs an MBR type byte, not "${p.type}".`);
    return { type: p.type, startLba: lba(starts[i]), sectors: lba(p.size), bootable: p.bootable };
  };
  const primaries = spec.partitions.map((p, i) => (p.logical ? null : slot(p, i))).filter((s): s is MbrSlot => s !== null);
  const logicals: MbrLogical[] = [];
  spec.partitions.forEach((p, i) => {
    if (p.logical) logicals.push({ ...slot(p, i), ebrLba: lba(ebrs[logicals.length]) });
  });
  await writeMbr(disk, {
    diskSignature: typeof spec.diskId === 'number' ? spec.diskId : 0x1234abcd,
    primaries,
    extended: extended ? { startLba: lba(extended.start), sectors: lba(extended.end - extended.start), logicals } : undefined,
  });
  let primary = 0;
  let logical = 4;
  return spec.partitions.map((p) => (p.logical ? ++logical : ++primary));
}

/** Formats one FAT partition and writes its files through the core's own FAT writer. */
async function fillFat(disk: SparseDisk, start: number, size: number, content: FatContent, timestamp: Date | undefined): Promise<FatFormatPlan> {
  const store = subrangeStore(disk, start, size);
  const plan = await formatFat(store, { timestamp, ...content });
  const files = Object.entries(content.files ?? {});
  if (files.length === 0) return plan;
  const volume = await FatVolume.open(store, { timestamp });
  const encoder = new TextEncoder();
  for (const [path, data] of files) {
    const folder = path.split('/').slice(0, -1).join('/');
    if (folder) await volume.mkdir(folder, { recursive: true });
    await volume.writeFile(path, typeof data === 'string' ? encoder.encode(data) : data);
  }
  await volume.verify();
  return plan;
}

export async function buildDiskImage(spec: DiskImageSpec): Promise<BuiltDiskImage> {
  if (spec.partitions.length === 0) throw bad('no partitions.');
  const { starts, extended, ebrs, size } = place(spec);
  const disk = new SparseDisk(size);
  const indexes = await writeTable(disk, spec, starts, ebrs, extended);
  const partitions: BuiltPartition[] = [];
  for (let i = 0; i < spec.partitions.length; i++) {
    const p = spec.partitions[i];
    const fat = p.fat ? await fillFat(disk, starts[i], p.size, p.fat, spec.timestamp) : undefined;
    partitions.push({ index: indexes[i], start: starts[i], size: p.size, ...(fat ? { fat } : {}) });
  }
  return { disk, partitions };
}
