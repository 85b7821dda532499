/**
 * A FAT12/16/32 volume with VFAT long names, read and written through a ByteStore holding exactly
 * the partition. Design (tech-notes §1.4, §1.5):
 * - the FAT is loaded once and written back, changed sectors only, to every copy at flush();
 * - new clusters are the lowest free ones, and an overwritten file reuses its own chain first, so
 *   changes stay near the start of the partition;
 * - every space check happens before the first byte is changed;
 * - the BPB, backup boot sector, label and dirty bits are never written.
 */
import { CoreError } from '../errors.ts';
import { warning, type CoreWarning } from '../warnings.ts';
import type { ByteStore } from '../io/byte-source.ts';
import { parseBootSector, type FatGeometry, type FatType } from './boot-sector.ts';
import { readChain, writeChain, zeroClusters } from './cluster-io.ts';
import { DirectoryTable, type DirRecord } from './directory-table.ts';
import { ATTR_ARCHIVE, ATTR_DIRECTORY, encodeDotEntries, ENTRY_SIZE, setClusterAndSize, setModified, DELETED, END_OF_DIRECTORY } from './directory.ts';
import { ATTR_LONG_NAME } from './long-name.ts';
import { entryBytes, newFolderClusters, planEntry, type EntryPlan } from './entry-plan.ts';
import { corrupt, FatTable } from './fat-table.ts';
import { encodeFsInfo, FSINFO_UNKNOWN, readFsInfo } from './fs-info.ts';
import { splitPath } from './path.ts';
import { DEFAULT_TIMESTAMP, encodeFatDateTime, type FatDateTime } from './timestamps.ts';
import { verifyVolume, walkTree } from './verify.ts';
import { loadFat } from './load.ts';

export interface FatOpenOptions {
  /** Timestamp written into every created/modified directory entry (default 2000-01-01T00:00:00Z). */
  timestamp?: Date;
}

export interface FatStat {
  name: string;
  shortName: string;
  isDirectory: boolean;
  size: number;
  firstCluster: number;
}

function notFound(path: string): CoreError {
  return new CoreError('FAT_NOT_FOUND', `"${path}" does not exist on the FAT filesystem.`, { path });
}

function isLiveLongEntry(entry: Uint8Array): boolean {
  return entry[0] !== END_OF_DIRECTORY && entry[0] !== DELETED && (entry[11] & 0x3f) === ATTR_LONG_NAME;
}

function toStat(r: DirRecord): FatStat {
  return { name: r.name, shortName: r.shortName, isDirectory: r.isDirectory, size: r.isDirectory ? 0 : r.size, firstCluster: r.firstCluster };
}

export class FatVolume {
  readonly fatType: FatType;
  readonly label: string | null;
  readonly bytesPerCluster: number;
  readonly geometry: FatGeometry;
  readonly #store: ByteStore;
  readonly #fat: FatTable;
  readonly #stamp: FatDateTime;
  readonly #dirs = new Map<number, DirectoryTable>();
  /** The FSInfo sector as found (with repairable signatures), or null when there is none we may write. */
  #fsInfoSector: Uint8Array | null = null;
  #fsInfoStale = false;
  #fsInfoWritten = false;
  /** Why the volume is marked not cleanly unmounted; the marks are cleared when it is written. */
  readonly #dirty: string[];
  #treeChecked = false;
  readonly #warnings: CoreWarning[] = [];

  private constructor(store: ByteStore, g: FatGeometry, fat: FatTable, dirty: string[], stamp: FatDateTime) {
    this.#store = store;
    this.geometry = g;
    this.fatType = g.fatType;
    this.label = g.label;
    this.bytesPerCluster = g.bytesPerCluster;
    this.#fat = fat;
    this.#dirty = dirty;
    this.#stamp = stamp;
  }

  static async open(store: ByteStore, options: FatOpenOptions = {}): Promise<FatVolume> {
    if (store.size < 512) throw new CoreError('FAT_INVALID', 'This partition is too small to hold a FAT filesystem.');
    const g = parseBootSector((await store.read(0, 512)).slice(), store.size);
    const { fat, dirty } = await loadFat(store, g);
    const volume = new FatVolume(store, g, fat, dirty, encodeFatDateTime(options.timestamp ?? DEFAULT_TIMESTAMP));
    if (g.fsInfoSector) await volume.#readFsInfo();
    if (dirty.length > 0) await volume.#checkDirty();
    return volume;
  }

  /**
   * What the volume found and corrected or left alone (FAT_REPAIRED, FAT_DAMAGE_IGNORED), for the
   * host to show next to its own warnings. Grows as folders are read and when the volume is written.
   */
  get warnings(): CoreWarning[] {
    return [...this.#warnings];
  }

  #warn(code: CoreWarning['code'], message: string): void {
    if (!this.#warnings.some((w) => w.message === message)) this.#warnings.push(warning(code, message));
  }

  /**
   * FSInfo (§5) is only a hint, rewritten at every write: a wrong free count or next-free hint, or
   * a damaged signature beside intact ones, is corrected then. A sector with no signature right is
   * not FSInfo at all (the BPB field lies): it is left alone.
   */
  async #readFsInfo(): Promise<void> {
    const g = this.geometry;
    const sector = (await this.#store.read(g.fsInfoSector * g.bytesPerSector, 512)).slice();
    const info = readFsInfo(sector);
    if (info.signatures === 0) {
      this.#warn('FAT_DAMAGE_IGNORED', `The boot sector puts the FSInfo sector at sector ${g.fsInfoSector}, which holds no FSInfo; it is left as it is.`);
      return;
    }
    this.#fsInfoSector = sector;
    const free = this.#fat.freeCount;
    if (info.signatures < 3) {
      this.#warn('FAT_REPAIRED', 'The FSInfo sector has a damaged signature; it is rewritten correctly when the filesystem is written.');
    } else if (info.freeCount !== FSINFO_UNKNOWN && info.freeCount !== free) {
      this.#warn('FAT_REPAIRED', `The FSInfo sector counts ${info.freeCount} free clusters but ${free} are free; the count is corrected when the filesystem is written.`);
    }
  }

  /** A dirty volume is used only when its structures are sound; then only a warning remains. */
  async #checkDirty(): Promise<void> {
    const why = this.#dirty.join(' and ');
    try {
      await this.#checkTree();
    } catch (e) {
      if (!(e instanceof CoreError) || e.code !== 'FAT_CORRUPT') throw e;
      throw new CoreError(
        'FAT_DIRTY',
        `The FAT filesystem was not cleanly unmounted (${why}) and is damaged: ${String(e.detail.why ?? e.message)}; check it with fsck.fat or chkdsk before editing it.`,
        { why, damage: e.detail.why },
      );
    }
    this.#warn('FAT_REPAIRED', `The FAT filesystem was not cleanly unmounted (${why}); its structures check out sound, so it is used, and the mark is cleared when the filesystem is written.`);
  }

  /** Walks the whole tree once before the first change, so damage is reported as damage, not as a failed self-check. */
  async #checkTree(): Promise<void> {
    if (this.#treeChecked) return;
    const { damage } = await walkTree(this.#store, this.geometry, this, (message, detail) => corrupt(message, detail));
    for (const d of damage) this.#warn('FAT_DAMAGE_IGNORED', `The boot filesystem is slightly damaged: ${d}.`);
    this.#treeChecked = true;
  }

  freeBytes(): number {
    return this.#fat.freeCount * this.bytesPerCluster;
  }

  get rootCluster(): number {
    return this.fatType === 32 ? this.geometry.rootCluster : 0;
  }

  // ---- reading ----------------------------------------------------------------------------

  /** A directory's table, read once and then kept (all changes go through it). */
  async directory(firstCluster: number, path: string): Promise<DirectoryTable> {
    const cached = this.#dirs.get(firstCluster);
    if (cached) return cached;
    const g = this.geometry;
    let table: DirectoryTable;
    if (firstCluster === 0) {
      const bytes = (await this.#store.read(g.rootDirOffset, g.rootEntryCount * ENTRY_SIZE)).slice();
      table = new DirectoryTable(g, 0, '', [], bytes);
    } else {
      const chain = this.#fat.chain(firstCluster, path || '/');
      const bytes = await readChain(this.#store, g, chain, chain.length * g.bytesPerCluster);
      table = new DirectoryTable(g, firstCluster, path, chain, bytes);
    }
    this.#dirs.set(firstCluster, table);
    return table;
  }

  /** The directory at `parts` (FAT_NOT_FOUND / FAT_NOT_A_DIRECTORY otherwise). */
  async #walk(parts: string[]): Promise<DirectoryTable> {
    let dir = await this.directory(this.rootCluster, '');
    for (let i = 0; i < parts.length; i++) {
      const path = parts.slice(0, i + 1).join('/');
      const r = dir.find(parts[i]);
      if (!r) throw notFound(path);
      if (!r.isDirectory) throw new CoreError('FAT_NOT_A_DIRECTORY', `"${path}" is a file, not a folder.`, { path });
      if (r.firstCluster === 0) throw corrupt(`the folder "${path}" has no cluster`, { path });
      dir = await this.directory(r.firstCluster, path);
    }
    return dir;
  }

  async #lookup(path: string): Promise<{ parent: DirectoryTable; name: string; record: DirRecord | undefined; parts: string[] }> {
    const parts = splitPath(path);
    if (parts.length === 0) throw new CoreError('FAT_IS_A_DIRECTORY', 'The root folder cannot be used as a file.', { path });
    const parent = await this.#walk(parts.slice(0, -1));
    const name = parts[parts.length - 1];
    return { parent, name, record: parent.find(name), parts };
  }

  async stat(path: string): Promise<FatStat | null> {
    const parts = splitPath(path);
    if (parts.length === 0) return { name: '', shortName: '', isDirectory: true, size: 0, firstCluster: this.rootCluster };
    try {
      const parent = await this.#walk(parts.slice(0, -1));
      const r = parent.find(parts[parts.length - 1]);
      return r ? toStat(r) : null;
    } catch (e) {
      if (e instanceof CoreError && (e.code === 'FAT_NOT_FOUND' || e.code === 'FAT_NOT_A_DIRECTORY')) return null;
      throw e;
    }
  }

  async exists(path: string): Promise<boolean> {
    return (await this.stat(path)) !== null;
  }

  async readdir(path: string): Promise<FatStat[]> {
    return (await this.#walk(splitPath(path))).records().map(toStat);
  }

  /** The checked chain of a file: length must match its size (§6: FileSize vs. cluster count). */
  fileChain(r: DirRecord, path: string): number[] {
    const expected = Math.ceil(r.size / this.bytesPerCluster);
    if (r.firstCluster === 0) {
      if (r.size !== 0) throw corrupt(`"${path}" is ${r.size} bytes long but has no clusters`, { path });
      return [];
    }
    const chain = this.#fat.chain(r.firstCluster, path);
    if (chain.length !== expected) {
      throw corrupt(`"${path}" is ${r.size} bytes long but its cluster chain has ${chain.length} clusters`, { path });
    }
    return chain;
  }

  async readFile(path: string): Promise<Uint8Array> {
    const { record, parts } = await this.#lookup(path);
    const p = parts.join('/');
    if (!record) throw notFound(p);
    if (record.isDirectory) throw new CoreError('FAT_IS_A_DIRECTORY', `"${p}" is a folder, not a file.`, { path: p });
    return readChain(this.#store, this.geometry, this.fileChain(record, p), record.size);
  }

  // ---- writing ----------------------------------------------------------------------------

  #needSpace(clusters: number): void {
    if (clusters <= this.#fat.freeCount) return;
    const needed = clusters * this.bytesPerCluster;
    throw new CoreError('FAT_NO_SPACE', `The boot partition is full: ${needed} bytes needed, ${this.freeBytes()} free.`, { needed, free: this.freeBytes() });
  }

  /** Refuses to touch a chain that another entry of the same folder also claims. */
  #checkNotShared(dir: DirectoryTable, r: DirRecord, path: string): void {
    if (r.firstCluster !== 0 && dir.records().some((o) => o.slot !== r.slot && o.firstCluster === r.firstCluster)) {
      throw corrupt(`"${path}" shares its clusters with another entry (cross-linked)`, { path });
    }
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    const { parent, name, record, parts } = await this.#lookup(path);
    const p = parts.join('/');
    if (record?.isDirectory) throw new CoreError('FAT_IS_A_DIRECTORY', `"${p}" is a folder, so it cannot be written as a file.`, { path: p });
    if (data.length > 0xffffffff) throw new CoreError('FAT_NO_SPACE', `"${p}" is larger than the 4 GiB a FAT file can hold.`, { path: p });
    await this.#checkTree();
    await this.#checkAgreed(parts.slice(0, -1));
    const old = record ? this.fileChain(record, p) : [];
    if (record) this.#checkNotShared(parent, record, p);
    if (!record) this.#checkNothingHidden(parent);
    const plan = record ? null : planEntry(parent, name);
    const needed = Math.ceil(data.length / this.bytesPerCluster);
    this.#needSpace(Math.max(0, needed - old.length) + (plan?.growClusters ?? 0));

    // From here on nothing can fail for lack of space.
    this.#fsInfoStale = true;
    const chain = old.slice(0, needed);
    chain.push(...this.#fat.allocate(needed - chain.length));
    this.#fat.release(old.slice(needed));
    this.#fat.link(chain);
    await writeChain(this.#store, this.geometry, chain, data);
    const firstCluster = chain.length ? chain[0] : 0;
    if (record) {
      const entry = parent.slot(record.slot).slice();
      entry[11] |= ATTR_ARCHIVE;
      setClusterAndSize(entry, firstCluster, data.length);
      setModified(entry, this.#stamp);
      await parent.writeSlots(this.#store, record.slot, entry);
    } else {
      await this.#insert(parent, plan!, entryBytes(plan!, ATTR_ARCHIVE, firstCluster, data.length, this.#stamp));
    }
  }

  /** Writes a planned entry, growing the directory by zeroed clusters first when needed. */
  async #insert(dir: DirectoryTable, plan: EntryPlan, bytes: Uint8Array): Promise<void> {
    if (plan.growClusters > 0) {
      const added = this.#fat.allocate(plan.growClusters);
      this.#fat.link([...dir.clusters, ...added]);
      await zeroClusters(this.#store, this.geometry, added);
      for (const c of added) dir.appendCluster(c);
    }
    const wasEnd = dir.endSlot() <= plan.slot + plan.slotCount - 1;
    await this.#deleteOrphansBefore(dir, plan.slot);
    await dir.writeSlots(this.#store, plan.slot, bytes);
    // Slots after the end marker are free (§6; #checkNothingHidden made sure none looks live);
    // keep the marker right after us.
    const next = plan.slot + plan.slotCount;
    if (wasEnd && next < dir.slotCount && dir.slot(next)[0] !== 0) await dir.writeSlots(this.#store, next, new Uint8Array(ENTRY_SIZE));
  }

  /**
   * Every folder from the root down to `parts` (all existing folders) must hold no entry that
   * readers classify differently (DirectoryTable.disputed): a name looked up or created there could
   * resolve to one file for us and Windows and to another, or none, for Linux and mtools. Refused,
   * before anything is written.
   */
  async #checkAgreed(parts: string[]): Promise<void> {
    let dir = await this.directory(this.rootCluster, '');
    for (let i = 0; ; i++) {
      const [why] = dir.disputed();
      if (why) throw corrupt(why, { path: dir.path });
      if (i === parts.length) return;
      dir = await this.directory(dir.find(parts[i])!.firstCluster, parts.slice(0, i + 1).join('/'));
    }
  }

  /**
   * §6: an entry starting with 0x00 ends the directory; Windows, mtools and FatFs stop there, but
   * Linux's vfat driver and fsck.fat read on. Live-looking entries after the mark are files one
   * reader sees and another does not; writing into that tail would hide or break them for one of
   * the two. Refused, before anything is written.
   */
  #checkNothingHidden(dir: DirectoryTable): void {
    const end = dir.endSlot();
    for (let i = end + 1; i < dir.slotCount; i++) {
      const first = dir.slot(i)[0];
      if (first !== END_OF_DIRECTORY && first !== DELETED) {
        const where = dir.path === '' ? 'the root folder' : `the folder "${dir.path}"`;
        throw corrupt(`${where} has entries after its end-of-directory mark (slot ${end}), which Linux reads and Windows does not`, { path: dir.path, slot: end });
      }
    }
  }

  /**
   * Long-name entries right before a free slot belong to no file (a name's entries are followed by
   * its short entry). Left there, they would run into the entry written next and readers would
   * see a broken long name (fsck.fat: "Long filename fragment found outside a LFN sequence"; a
   * fragment once hidden behind an end-of-directory mark shows up when the directory grows past
   * it). Marked deleted instead, as fsck.fat would.
   */
  async #deleteOrphansBefore(dir: DirectoryTable, slot: number): Promise<void> {
    let first = slot;
    while (first > 0 && isLiveLongEntry(dir.slot(first - 1))) first--;
    if (first === slot) return;
    const slots = dir.bytes.slice(first * ENTRY_SIZE, slot * ENTRY_SIZE);
    for (let i = 0; i < slots.length; i += ENTRY_SIZE) slots[i] = DELETED;
    await dir.writeSlots(this.#store, first, slots);
    const where = dir.path === '' ? 'the root folder' : `the folder "${dir.path}"`;
    this.#warn('FAT_REPAIRED', `${slot - first} orphaned long-name ${slot - first === 1 ? 'entry' : 'entries'} in ${where}, next to where a new entry went, ${slot - first === 1 ? 'was' : 'were'} marked deleted.`);
  }

  async mkdir(path: string, options: { recursive?: boolean } = {}): Promise<void> {
    const parts = splitPath(path);
    let dir = await this.directory(this.rootCluster, '');
    let i = 0;
    for (; i < parts.length; i++) {
      const r = dir.find(parts[i]);
      const p = parts.slice(0, i + 1).join('/');
      if (!r) break;
      if (!r.isDirectory) throw new CoreError(i === parts.length - 1 ? 'FAT_EXISTS' : 'FAT_NOT_A_DIRECTORY', `"${p}" already exists as a file.`, { path: p });
      if (r.firstCluster === 0) throw corrupt(`the folder "${p}" has no cluster`, { path: p });
      dir = await this.directory(r.firstCluster, p);
    }
    if (i === parts.length) {
      if (options.recursive) return;
      throw new CoreError('FAT_EXISTS', `The folder "${parts.join('/') || '/'}" already exists.`, { path });
    }
    if (i < parts.length - 1 && !options.recursive) throw notFound(parts.slice(0, i + 1).join('/'));
    await this.#checkTree();
    await this.#checkAgreed(parts.slice(0, i));

    // Space for every folder to be made, checked up front (the first entry may grow `dir`).
    this.#checkNothingHidden(dir);
    const firstPlan = planEntry(dir, parts[i]);
    this.#needSpace(firstPlan.growClusters + newFolderClusters(parts.slice(i), this.bytesPerCluster));

    this.#fsInfoStale = true;
    for (let k = i; k < parts.length; k++) {
      const plan = k === i ? firstPlan : planEntry(dir, parts[k]);
      dir = await this.#createDirectory(dir, plan, parts.slice(0, k + 1).join('/'));
    }
  }

  async #createDirectory(parent: DirectoryTable, plan: EntryPlan, path: string): Promise<DirectoryTable> {
    const [cluster] = this.#fat.allocate(1);
    await zeroClusters(this.#store, this.geometry, [cluster]);
    const table = new DirectoryTable(this.geometry, cluster, path, [cluster], new Uint8Array(this.bytesPerCluster));
    // §6.7: '..' holds 0 when the parent is the root, on FAT32 too.
    const parentCluster = parent.firstCluster === this.rootCluster ? 0 : parent.firstCluster;
    await table.writeSlots(this.#store, 0, encodeDotEntries(cluster, parentCluster, this.#stamp));
    this.#dirs.set(cluster, table);
    await this.#insert(parent, plan, entryBytes(plan, ATTR_DIRECTORY, cluster, 0, this.#stamp));
    return table;
  }

  async remove(path: string): Promise<void> {
    const { parent, record, parts } = await this.#lookup(path);
    const p = parts.join('/');
    if (!record) throw notFound(p);
    await this.#checkTree();
    await this.#checkAgreed(parts.slice(0, -1));
    this.#checkNotShared(parent, record, p);
    let chain: number[];
    if (record.isDirectory) {
      if (record.firstCluster === 0) throw corrupt(`the folder "${p}" has no cluster`, { path: p });
      const dir = await this.directory(record.firstCluster, p);
      if (dir.records().length > 0) throw new CoreError('FAT_DIRECTORY_NOT_EMPTY', `The folder "${p}" is not empty.`, { path: p });
      chain = dir.clusters;
      this.#dirs.delete(record.firstCluster);
    } else {
      chain = this.fileChain(record, p);
    }
    this.#fsInfoStale = true;
    this.#fat.release(chain);
    const slots = new Uint8Array((record.slot - record.firstSlot + 1) * ENTRY_SIZE);
    for (let s = record.firstSlot; s <= record.slot; s++) {
      const entry = parent.slot(s).slice();
      entry[0] = DELETED;
      slots.set(entry, (s - record.firstSlot) * ENTRY_SIZE);
    }
    await parent.writeSlots(this.#store, record.firstSlot, slots);
  }

  // ---- committing and checking ------------------------------------------------------------

  /**
   * Byte offsets of the FAT copies written: all of them. With FAT32 mirroring turned off Windows
   * reads only the active copy, but Linux's vfat driver and fsck.fat read FAT #1; the copies were
   * identical at open (load.ts), so writing every one keeps both readers right.
   */
  fatCopyOffsets(): number[] {
    const g = this.geometry;
    return Array.from({ length: g.numFats }, (_, i) => g.fatOffset + i * g.bytesPerSector * g.sectorsPerFat);
  }

  async flush(): Promise<void> {
    const wrote = this.#fsInfoStale;
    if (wrote && this.#dirty.length > 0) await this.#markClean();
    if (this.#fat.hasChanges) await this.#fat.flush(this.#store, this.fatCopyOffsets());
    if (this.#fsInfoSector && wrote) {
      const g = this.geometry;
      const lowest = this.#fat.lowestFree();
      const sector = encodeFsInfo(this.#fsInfoSector, { freeCount: this.#fat.freeCount, nextFree: lowest || FSINFO_UNKNOWN });
      if (sector.some((b, i) => b !== this.#fsInfoSector![i])) await this.#store.write(g.fsInfoSector * g.bytesPerSector, sector);
      this.#fsInfoSector = sector;
      this.#fsInfoWritten = true;
    }
    this.#fsInfoStale = false;
  }

  /**
   * A dirty volume whose structures were checked sound (#checkDirty) and that we have written is
   * marked clean, as fsck.fat would: FAT[1]'s clean-shutdown bit set, the BPB dirty flag cleared
   * (in the FAT32 backup boot sector too when it carries it). Nothing else of the BPB is written.
   */
  async #markClean(): Promise<void> {
    const g = this.geometry;
    if (g.fatType === 16) this.#fat.setReservedBits(0x8000);
    if (g.fatType === 32) this.#fat.setReservedBits(0x08000000);
    for (const sector of g.backupBootSector ? [0, g.backupBootSector] : [0]) {
      const bytes = await this.#store.read(sector * g.bytesPerSector, 512);
      if (sector !== 0 && (bytes[0] !== 0xeb && bytes[0] !== 0xe9 || bytes[510] !== 0x55 || bytes[511] !== 0xaa)) continue; // no boot sector there
      const flags = bytes[g.dirtyFlagOffset];
      if (flags & 0x01) await this.#store.write(sector * g.bytesPerSector + g.dirtyFlagOffset, Uint8Array.of(flags & ~0x01));
    }
    this.#dirty.length = 0;
  }

  /** For the self-check: whether this session wrote the FSInfo sector. */
  get fsInfoWritten(): boolean {
    return this.#fsInfoWritten;
  }

  /** Flushes, then checks the whole volume as stored; throws SELF_CHECK_FAILED / FAT_CORRUPT. */
  async verify(): Promise<void> {
    await this.flush();
    await verifyVolume(this.#store, this.geometry, this);
    if (!this.#treeChecked) await this.#checkTree();
  }

  /** For the self-check: the in-memory FAT. */
  get fat(): FatTable {
    return this.#fat;
  }
}
