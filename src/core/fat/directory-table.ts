/**
 * One directory held in memory: its raw 32-byte slots, where each slot lives on disk, and the
 * entries they decode to (long name + short entry). Spec: Microsoft FAT spec v1.03, §6 (entries,
 * 0xE5 deleted, 0x00 = this and all following slots are free) and §7 (long names before the short
 * entry). The FAT12/16 root is a fixed run of slots; every other directory is a cluster chain.
 */
import type { ByteStore } from '../io/byte-source.ts';
import { clusterOffset, type FatGeometry } from './boot-sector.ts';
import { ATTR_DIRECTORY, ATTR_VOLUME_ID, decodeShortEntry, DELETED, END_OF_DIRECTORY, ENTRY_SIZE } from './directory.ts';
import { ATTR_LONG_NAME, LongNameCollector } from './long-name.ts';
import { formatShortName, shortNameKey, upcase } from './short-name.ts';

export interface DirRecord {
  /** Long name when present, else the short name with the NT case flags applied. */
  readonly name: string;
  /** "MYHOME~1.NMC". */
  readonly shortName: string;
  readonly rawShortName: Uint8Array;
  readonly attr: number;
  readonly isDirectory: boolean;
  readonly firstCluster: number;
  readonly size: number;
  /** Slot of the short entry, and of the first of its long-name entries (same when none). */
  readonly slot: number;
  readonly firstSlot: number;
}

export class DirectoryTable {
  readonly g: FatGeometry;
  /** 0 for the FAT12/16 fixed root. */
  readonly firstCluster: number;
  readonly path: string;
  readonly clusters: number[];
  #bytes: Uint8Array;
  /**
   * The entries decoded, kept until the slots change (writeSlots, appendCluster, a new `bytes`):
   * every lookup of a path decodes its folders, and decoding allocates names (issue 7, start-up).
   */
  #decoded: { all: DirRecord[]; live: DirRecord[]; keys: string[] } | undefined;

  constructor(g: FatGeometry, firstCluster: number, path: string, clusters: number[], bytes: Uint8Array) {
    this.g = g;
    this.firstCluster = firstCluster;
    this.path = path;
    this.clusters = clusters;
    this.#bytes = bytes;
  }

  /** The raw slots. Change them through writeSlots (or assign a new array), so the decoded entries follow. */
  get bytes(): Uint8Array {
    return this.#bytes;
  }

  set bytes(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#decoded = undefined;
  }

  get isFixedRoot(): boolean {
    return this.firstCluster === 0;
  }

  get slotCount(): number {
    return this.bytes.length / ENTRY_SIZE;
  }

  slot(index: number): Uint8Array {
    return this.bytes.subarray(index * ENTRY_SIZE, (index + 1) * ENTRY_SIZE);
  }

  /** Every live entry in on-disk order, without '.', '..' and the volume label. */
  records(): DirRecord[] {
    return [...this.#entries().live];
  }

  /** The '.' and '..' entries (subdirectories only). */
  dotRecords(): DirRecord[] {
    return this.#entries().all.filter((r) => r.rawShortName[0] === 0x2e);
  }

  #entries(): { all: DirRecord[]; live: DirRecord[]; keys: string[] } {
    if (!this.#decoded) {
      const all = this.#decode();
      const live = all.filter((r) => r.rawShortName[0] !== 0x2e);
      this.#decoded = { all, live, keys: live.map((r) => upcase(r.name)) };
    }
    return this.#decoded;
  }

  #decode(): DirRecord[] {
    const out: DirRecord[] = [];
    const longNames = new LongNameCollector();
    const fat32 = this.g.fatType === 32;
    for (let i = 0; i < this.slotCount; i++) {
      const entry = this.slot(i);
      if (entry[0] === END_OF_DIRECTORY) break;
      if (entry[0] === DELETED) {
        longNames.reset();
        continue;
      }
      if ((entry[11] & 0x3f) === ATTR_LONG_NAME) {
        longNames.add(entry, i);
        continue;
      }
      const e = decodeShortEntry(entry, fat32);
      const { name, firstSlot } = longNames.finish(e.rawName, i);
      // §6: (attr & (DIRECTORY | VOLUME_ID)) == VOLUME_ID is the label, == both is an invalid
      // entry. Linux's vfat driver and mtools skip every non-long-name entry with VOLUME_ID set,
      // so a "folder" with it is no folder to them either (fuzzer seed 1202 case 1904).
      if (e.attr & ATTR_VOLUME_ID) continue;
      const shortName = formatShortName(e.rawName);
      out.push({
        name: name ?? formatShortName(e.rawName, e.caseFlags),
        shortName,
        rawShortName: e.rawName,
        attr: e.attr,
        isDirectory: (e.attr & ATTR_DIRECTORY) !== 0,
        firstCluster: e.firstCluster,
        size: e.size,
        slot: i,
        firstSlot,
      });
    }
    return out;
  }

  /**
   * Damage readers skip (§7: orphaned long-name entries are ignored) and that this folder keeps as
   * found, one sentence each: long-name entries that belong to no short entry, and '.'/'..' entries
   * in the root, which has none (fsck.fat drops them).
   */
  damage(): string[] {
    const out: string[] = [];
    const where = this.path === '' ? 'the root folder' : `the folder "${this.path}"`;
    const all = this.#entries().all;
    const owned = new Uint8Array(this.slotCount);
    for (const r of all) owned.fill(1, r.firstSlot, r.slot + 1);
    let orphans = 0;
    for (let i = 0; i < this.slotCount; i++) {
      const entry = this.slot(i);
      if (entry[0] === END_OF_DIRECTORY) break;
      if (entry[0] !== DELETED && (entry[11] & 0x3f) === ATTR_LONG_NAME && !owned[i]) orphans++;
    }
    if (orphans > 0) out.push(`${where} holds ${orphans} long-name ${orphans === 1 ? 'entry' : 'entries'} that belong to no file (orphaned); they are left as they are`);
    if (this.path === '' && all.some((r) => r.rawShortName[0] === 0x2e)) out.push(`the root folder holds a '.' or '..' entry, which only subfolders have; it is ignored`);
    return out;
  }

  /**
   * Live entries whose attribute byte readers classify differently, one sentence each with its slot:
   * - long-name bits with reserved bits 6-7 set (0x4F, 0x8F, 0xCF): §7 masks them off
   *   (LDIR_Attr & ATTR_LONG_NAME_MASK), so Windows and this reader take the entry as part of a long
   *   name, but Linux's vfat driver, mtools and fsck.fat compare LDIR_Attr with 0x0F exactly and take
   *   it as a short entry (seed 1202 case 352: "config.json" to us, only "CONFIG~1.JSO" to mtools);
   * - DIRECTORY with VOLUME_ID: invalid per §6; Linux and mtools skip it, a lax reader lists a folder.
   * Writing into (or through) such a folder would put files where one reader sees them and another
   * does not, so volume.ts refuses it.
   */
  disputed(): string[] {
    const out: string[] = [];
    const where = this.path === '' ? 'the root folder' : `the folder "${this.path}"`;
    const hex = (n: number) => '0x' + n.toString(16).toUpperCase().padStart(2, '0');
    for (let i = 0; i < this.slotCount; i++) {
      const entry = this.slot(i);
      if (entry[0] === END_OF_DIRECTORY) break;
      const attr = entry[11];
      if (entry[0] === DELETED || attr === ATTR_LONG_NAME) continue;
      if ((attr & 0x3f) === ATTR_LONG_NAME) {
        out.push(`${where} holds an entry (slot ${i}) with attributes ${hex(attr)}, which Windows reads as part of a long name and Linux, mtools and fsck.fat as a file`);
      } else if ((attr & (ATTR_DIRECTORY | ATTR_VOLUME_ID)) === (ATTR_DIRECTORY | ATTR_VOLUME_ID)) {
        out.push(`${where} holds an entry (slot ${i}) with attributes ${hex(attr)}, folder and volume label at once, which the FAT specification calls invalid and Linux and mtools skip`);
      }
    }
    return out;
  }

  /** Case-insensitive lookup by long or short name, as FAT does. */
  find(name: string): DirRecord | undefined {
    const key = upcase(name);
    const { live, keys } = this.#entries();
    for (let i = 0; i < live.length; i++) if (keys[i] === key || live[i].shortName === key) return live[i];
    return undefined;
  }

  /** Raw short names in use (every live short entry, '.'/'..' and label included). */
  shortNameKeys(): Set<string> {
    const keys = new Set<string>();
    for (let i = 0; i < this.slotCount; i++) {
      const entry = this.slot(i);
      if (entry[0] === END_OF_DIRECTORY) break;
      if (entry[0] !== DELETED && (entry[11] & 0x3f) !== ATTR_LONG_NAME) keys.add(shortNameKey(entry));
    }
    return keys;
  }

  /**
   * The first run of `count` free slots. When the directory ends first, `missing` says how many
   * slots past its end the run needs (the directory must grow by that many).
   */
  findFreeRun(count: number): { slot: number; missing: number } {
    let runStart = 0;
    let runLength = 0;
    let ended = false;
    for (let i = 0; i < this.slotCount; i++) {
      const first = this.slot(i)[0];
      if (first === END_OF_DIRECTORY) ended = true;
      if (ended || first === DELETED) {
        if (runLength === 0) runStart = i;
        if (++runLength === count) return { slot: runStart, missing: 0 };
      } else runLength = 0;
    }
    return { slot: runLength === 0 ? this.slotCount : runStart, missing: count - runLength };
  }

  /** The slot index right after the end-of-directory marker region begins, or slotCount. */
  endSlot(): number {
    for (let i = 0; i < this.slotCount; i++) if (this.slot(i)[0] === END_OF_DIRECTORY) return i;
    return this.slotCount;
  }

  /** Adds a (zeroed on disk by the caller) cluster to the end of this directory. */
  appendCluster(cluster: number): void {
    const grown = new Uint8Array(this.bytes.length + this.g.bytesPerCluster);
    grown.set(this.bytes);
    this.bytes = grown; // (the setter forgets the decoded entries)
    this.clusters.push(cluster);
  }

  slotOffset(index: number): number {
    const byte = index * ENTRY_SIZE;
    if (this.isFixedRoot) return this.g.rootDirOffset + byte;
    const bpc = this.g.bytesPerCluster;
    return clusterOffset(this.g, this.clusters[Math.floor(byte / bpc)]) + (byte % bpc);
  }

  /** Replaces `bytes.length / 32` slots from `first` in memory and on disk. */
  async writeSlots(store: ByteStore, first: number, bytes: Uint8Array): Promise<void> {
    this.bytes.set(bytes, first * ENTRY_SIZE);
    this.#decoded = undefined;
    const perCluster = this.isFixedRoot ? Infinity : this.g.bytesPerCluster / ENTRY_SIZE;
    const end = first + bytes.length / ENTRY_SIZE;
    for (let i = first; i < end; ) {
      const stop = Math.min(end, perCluster === Infinity ? end : (Math.floor(i / perCluster) + 1) * perCluster);
      await store.write(this.slotOffset(i), this.bytes.slice(i * ENTRY_SIZE, stop * ENTRY_SIZE));
      i = stop;
    }
  }
}
