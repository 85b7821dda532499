/**
 * The File Allocation Table, held in memory. Spec: Microsoft FAT spec v1.03, §4 "FAT" (entry
 * packing for FAT12/16/32, end-of-chain and bad-cluster values, FAT[0]/FAT[1] reserved entries).
 *
 * The whole active copy is loaded once (40 KB for a 40 MiB FAT16, 2 MB for a 256 MiB FAT32) and
 * changed sectors are written to every copy at flush. Alongside it we keep, per cluster, how many
 * FAT entries point at it: a chain head must have none, every other cluster at most one, which is
 * how looping and cross-linked chains are caught cheaply.
 */
import { CoreError } from '../errors.ts';
import type { ByteStore } from '../io/byte-source.ts';
import type { FatGeometry, FatType } from './boot-sector.ts';

const BAD: Record<FatType, number> = { 12: 0xff7, 16: 0xfff7, 32: 0x0ffffff7 };
const END: Record<FatType, number> = { 12: 0xfff, 16: 0xffff, 32: 0x0fffffff };

export function corrupt(message: string, detail: Record<string, unknown> = {}): CoreError {
  return new CoreError('FAT_CORRUPT', `The FAT filesystem is damaged: ${message}; run a disk check (fsck.fat / chkdsk) before editing it.`, { why: message, ...detail });
}

export class FatTable {
  readonly bytes: Uint8Array;
  readonly type: FatType;
  readonly maxCluster: number;
  readonly endOfChain: number;
  readonly #bad: number;
  readonly #view: DataView;
  readonly #bytesPerSector: number;
  readonly #pointedAt: Uint8Array;
  readonly #dirtySectors = new Set<number>();
  /** Clusters whose entries this session changed: the self-check holds us to account for them only. */
  readonly #changed = new Set<number>();
  #freeCount = 0;
  #lowestFree: number;
  /**
   * The entries as an array indexed by cluster (FAT16: 16-bit, FAT32: 32-bit with the reserved top
   * 4 bits still in), read without a call per entry: the scans below run over every cluster while
   * the code is still cold (issue 7, start-up). Little-endian hosts only (all real ones); FAT12,
   * or bytes not aligned for the view, use `get()`.
   */
  readonly #entries: Uint16Array | Uint32Array | undefined;

  constructor(bytes: Uint8Array, g: FatGeometry) {
    this.bytes = bytes;
    this.type = g.fatType;
    this.maxCluster = g.maxCluster;
    this.endOfChain = END[g.fatType];
    this.#bad = BAD[g.fatType];
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#bytesPerSector = g.bytesPerSector;
    this.#pointedAt = new Uint8Array(g.maxCluster + 1);
    this.#lowestFree = g.maxCluster + 1;
    this.#entries = entryView(bytes, g.fatType, g.maxCluster);
    this.#scan();
  }

  /** Free clusters counted again from the bytes (the self-check compares it with the running count). */
  countFree(): number {
    const e = this.#entries;
    const max = this.maxCluster;
    let free = 0;
    if (e) {
      const mask = this.type === 32 ? 0x0fffffff : 0xffff;
      for (let c = 2; c <= max; c++) if ((e[c] & mask) === 0) free++;
    } else {
      for (let c = 2; c <= max; c++) if (this.get(c) === 0) free++;
    }
    return free;
  }

  /** Clusters whose entries this session changed, ascending. */
  changedClusters(): number[] {
    return [...this.#changed].sort((a, b) => a - b);
  }

  /** Counts free clusters and references; refuses out-of-range links, loops and cross-links. */
  #scan(): void {
    const e = this.#entries;
    const max = this.maxCluster;
    const bad = this.#bad;
    const pointedAt = this.#pointedAt;
    const mask = this.type === 32 ? 0x0fffffff : 0xffff;
    let free = 0;
    let lowest = max + 1;
    for (let c = 2; c <= max; c++) {
      const next = e ? e[c] & mask : this.get(c);
      if (next === 0) {
        free++;
        if (lowest > max) lowest = c;
      } else if (next < bad) {
        if (next < 2 || next > max) throw corrupt(`cluster ${c} links to cluster ${next}, which does not exist`, { cluster: c, next });
        if (next === c) throw corrupt(`cluster ${c} links to itself`, { cluster: c });
        if (++pointedAt[next] > 1) throw corrupt(`cluster ${next} is claimed by two chains (cross-linked)`, { cluster: next });
      }
    }
    this.#freeCount = free;
    this.#lowestFree = lowest;
  }

  get freeCount(): number {
    return this.#freeCount;
  }

  /** The lowest free cluster, or 0 when the volume is full. */
  lowestFree(): number {
    while (this.#lowestFree <= this.maxCluster && this.get(this.#lowestFree) !== 0) this.#lowestFree++;
    return this.#lowestFree <= this.maxCluster ? this.#lowestFree : 0;
  }

  isEnd(value: number): boolean {
    return value > this.#bad;
  }

  isBad(value: number): boolean {
    return value === this.#bad;
  }

  get(cluster: number): number {
    const v = this.#view;
    if (this.type === 16) return v.getUint16(cluster * 2, true);
    if (this.type === 32) return v.getUint32(cluster * 4, true) & 0x0fffffff;
    const word = v.getUint16((cluster * 3) >> 1, true);
    return cluster & 1 ? word >> 4 : word & 0x0fff;
  }

  /** Sets one entry, keeping the free count, reference counts and dirty sectors current. */
  set(cluster: number, value: number): void {
    const old = this.get(cluster);
    if (old === value) return;
    this.#changed.add(cluster);
    if (this.#isLink(old)) this.#pointedAt[old]--;
    if (this.#isLink(value)) this.#pointedAt[value]++;
    if (old === 0) this.#freeCount--;
    if (value === 0) {
      this.#freeCount++;
      if (cluster < this.#lowestFree) this.#lowestFree = cluster;
    }
    const v = this.#view;
    let offset: number;
    let width = 2;
    if (this.type === 16) {
      offset = cluster * 2;
      v.setUint16(offset, value, true);
    } else if (this.type === 32) {
      offset = cluster * 4;
      width = 4;
      const high = v.getUint32(offset, true) & 0xf0000000; // §4: the top 4 bits are reserved, keep them
      v.setUint32(offset, (high | value) >>> 0, true);
    } else {
      offset = (cluster * 3) >> 1;
      const word = v.getUint16(offset, true);
      v.setUint16(offset, cluster & 1 ? (word & 0x000f) | (value << 4) : (word & 0xf000) | value, true);
    }
    this.#dirtySectors.add(Math.floor(offset / this.#bytesPerSector));
    this.#dirtySectors.add(Math.floor((offset + width - 1) / this.#bytesPerSector));
  }

  /**
   * Sets bits in FAT[1] (§4.2: the clean-shutdown and no-error bits), which is no cluster, so it
   * bypasses the counts. Used only to mark a dirty volume clean after its structures were checked.
   */
  setReservedBits(mask: number): void {
    const v = this.#view;
    if (this.type === 16) v.setUint16(2, v.getUint16(2, true) | mask, true);
    else if (this.type === 32) v.setUint32(4, (v.getUint32(4, true) | mask) >>> 0, true);
    else return;
    this.#dirtySectors.add(0);
  }

  /** Whether this session changed the entry of `cluster`. */
  wasChanged(cluster: number): boolean {
    return this.#changed.has(cluster);
  }

  #isLink(value: number): boolean {
    return value >= 2 && value <= this.maxCluster;
  }

  /**
   * The clusters of the chain starting at `head`, checked: in range, not looping, not
   * cross-linked, ending in an end-of-chain mark. `owner` names the file in error messages.
   */
  chain(head: number, owner: string): number[] {
    if (head < 2 || head > this.maxCluster) throw corrupt(`"${owner}" starts at cluster ${head}, which does not exist`, { head });
    if (this.#pointedAt[head] !== 0) throw corrupt(`"${owner}" starts at cluster ${head}, which is also inside another chain`, { head });
    const e = this.#entries;
    const mask = this.type === 32 ? 0x0fffffff : 0xffff;
    const out = [head];
    for (let c = head; ; ) {
      const next = e ? e[c] & mask : this.get(c);
      if (this.isEnd(next)) return out;
      if (!this.#isLink(next)) throw corrupt(`the chain of "${owner}" runs into ${next === 0 ? 'a free' : 'a bad or invalid'} cluster after cluster ${c}`, { cluster: c, next });
      if (out.length > this.maxCluster) throw corrupt(`the chain of "${owner}" loops`, { head });
      out.push(next);
      c = next;
    }
  }

  /**
   * The same chain, checked the same way, as runs of consecutive clusters: [first, count, first,
   * count, …] and the total. A file's chain is mostly one run (the 8 MiB kernel of a boot partition
   * is thousands of clusters): the tree walk claims each run at once instead of cluster by cluster.
   */
  chainRuns(head: number, owner: string): { runs: number[]; length: number } {
    if (head < 2 || head > this.maxCluster) throw corrupt(`"${owner}" starts at cluster ${head}, which does not exist`, { head });
    if (this.#pointedAt[head] !== 0) throw corrupt(`"${owner}" starts at cluster ${head}, which is also inside another chain`, { head });
    const e = this.#entries;
    const mask = this.type === 32 ? 0x0fffffff : 0xffff;
    const bad = this.#bad;
    const max = this.maxCluster;
    const runs: number[] = [];
    let length = 1;
    let first = head;
    for (let c = head; ; ) {
      const next = e ? e[c] & mask : this.get(c);
      if (next > bad) {
        // end of chain (isEnd), tested inline: this loop runs once per cluster of every file, cold
        runs.push(first, c - first + 1);
        return { runs, length };
      }
      if (next < 2 || next > max) throw corrupt(`the chain of "${owner}" runs into ${next === 0 ? 'a free' : 'a bad or invalid'} cluster after cluster ${c}`, { cluster: c, next });
      if (length > max) throw corrupt(`the chain of "${owner}" loops`, { head });
      length++;
      if (next !== c + 1) {
        runs.push(first, c - first + 1);
        first = next;
      }
      c = next;
    }
  }

  /** Takes the `count` lowest free clusters, marks each end-of-chain, and returns them ascending. */
  allocate(count: number): number[] {
    if (count > this.#freeCount) throw new Error(`internal: allocate(${count}) with ${this.#freeCount} free`);
    const out: number[] = [];
    for (let c = this.lowestFree(); out.length < count; c++) {
      if (this.get(c) === 0) {
        this.set(c, this.endOfChain);
        out.push(c);
      }
    }
    return out;
  }

  /** Links the clusters in order and ends the chain at the last one. */
  link(clusters: readonly number[]): void {
    for (let i = 0; i < clusters.length; i++) {
      this.set(clusters[i], i + 1 < clusters.length ? clusters[i + 1] : this.endOfChain);
    }
  }

  release(clusters: readonly number[]): void {
    for (const c of clusters) this.set(c, 0);
  }

  get hasChanges(): boolean {
    return this.#dirtySectors.size > 0;
  }

  /** Writes every changed sector to each FAT copy in `copies` (byte offsets of the copies). */
  async flush(store: ByteStore, copies: readonly number[]): Promise<void> {
    const sectors = [...this.#dirtySectors].sort((a, b) => a - b);
    const ss = this.#bytesPerSector;
    for (let i = 0; i < sectors.length; ) {
      let j = i + 1;
      while (j < sectors.length && sectors[j] === sectors[j - 1] + 1) j++;
      const run = this.bytes.slice(sectors[i] * ss, (sectors[j - 1] + 1) * ss);
      for (const copy of copies) await store.write(copy + sectors[i] * ss, run);
      i = j;
    }
    this.#dirtySectors.clear();
  }
}

/** FAT16/FAT32 entries as a typed array indexed by cluster, or undefined where that cannot be done. */
function entryView(bytes: Uint8Array, type: FatType, maxCluster: number): Uint16Array | Uint32Array | undefined {
  if (type === 12 || !LITTLE_ENDIAN) return undefined;
  const width = type === 32 ? 4 : 2;
  if (bytes.byteOffset % width !== 0 || bytes.length < (maxCluster + 1) * width) return undefined;
  return type === 32 ? new Uint32Array(bytes.buffer, bytes.byteOffset, maxCluster + 1) : new Uint16Array(bytes.buffer, bytes.byteOffset, maxCluster + 1);
}

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
