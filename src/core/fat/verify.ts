/**
 * The self-check run after writing: reads the volume back from the store, as fsck.fat would, and
 * checks that every FAT copy is identical, that every chain reachable from the root is sound and
 * claimed once, that file sizes match chain lengths, that '.'/'..' are right, that no cluster this
 * write allocated is lost, and that the FAT32 FSInfo free count matches a recount. Clusters that
 * were already lost in the input are not ours to judge: refusing them would refuse real images
 * that fsck would merely tidy.
 */
import { firstDifference } from '../bytes/compare.ts';
import { CoreError } from '../errors.ts';
import type { ByteStore } from '../io/byte-source.ts';
import type { FatGeometry } from './boot-sector.ts';
import { readChain } from './cluster-io.ts';
import { DirectoryTable } from './directory-table.ts';
import { ENTRY_SIZE } from './directory.ts';
import type { FatTable } from './fat-table.ts';
import { FSINFO_UNKNOWN, parseFsInfo } from './fs-info.ts';

interface VerifiableVolume {
  readonly fat: FatTable;
  readonly rootCluster: number;
  fatCopyOffsets(): number[];
  /** Whether this session wrote the FSInfo sector (only then is it ours to check). */
  readonly fsInfoWritten?: boolean;
}

function failed(message: string, detail: Record<string, unknown> = {}): CoreError {
  return new CoreError('SELF_CHECK_FAILED', `The FAT self-check failed: ${message}.`, detail);
}

type Fail = (message: string, detail?: Record<string, unknown>) => CoreError;

export interface TreeWalk {
  /** Clusters claimed by the root chain and every file and folder reachable from it. */
  claimed: Uint8Array;
  /** Damage readers skip and the walk left alone (orphaned long names, '.' in the root…), one sentence each. */
  damage: string[];
}

/**
 * Walks every folder from the root as fsck.fat would: chains sound and claimed once, file sizes
 * matching chain lengths, '.'/'..' right. `fail` makes the error (SELF_CHECK_FAILED after a write,
 * FAT_CORRUPT before one); chain errors are FAT_CORRUPT either way.
 */
export async function walkTree(store: ByteStore, g: FatGeometry, vol: VerifiableVolume, fail: Fail): Promise<TreeWalk> {
  const fat = vol.fat;
  const claimed = new Uint8Array(g.maxCluster + 1);
  const damage: string[] = [];
  // A chain is claimed run by run ([first, count, …]): one native search and fill per run of
  // consecutive clusters, where a file's chain is mostly one run.
  const claim = (runs: readonly number[], path: string): void => {
    for (let i = 0; i < runs.length; i += 2) {
      const run = claimed.subarray(runs[i], runs[i] + runs[i + 1]);
      const taken = run.indexOf(1);
      if (taken >= 0) throw fail(`cluster ${runs[i] + taken} of "${path}" belongs to another file too (cross-linked)`, { cluster: runs[i] + taken, path });
      run.fill(1);
    }
  };

  const pending: Array<{ cluster: number; parent: number; path: string }> = [{ cluster: vol.rootCluster, parent: -1, path: '' }];
  while (pending.length > 0) {
    const { cluster, parent, path } = pending.pop()!;
    let dir: DirectoryTable;
    if (cluster === 0) {
      dir = new DirectoryTable(g, 0, '', [], await store.read(g.rootDirOffset, g.rootEntryCount * ENTRY_SIZE));
    } else {
      const chain = fat.chain(cluster, path || '/');
      claim(toRuns(chain), path || '/');
      dir = new DirectoryTable(g, cluster, path, chain, await readChain(store, g, chain, chain.length * g.bytesPerCluster));
    }
    if (parent >= 0) checkDotEntries(dir, cluster, parent === vol.rootCluster ? 0 : parent, path, fail);
    else if (cluster !== 0 && dir.dotRecords().some((r) => r.shortName === '.' && r.firstCluster === cluster)) {
      // §6.7: only subfolders have '.', and theirs names the folder itself. A FAT32 root whose '.'
      // names the root cluster is a subfolder: BPB_RootClus is wrong and the real root (with the
      // files every reader should see) is elsewhere. Writing there leaves fsck.fat dropping the
      // "root"'s '.'/'..' and reclaiming the real root (fuzzer seed 1202 case 821).
      throw fail(`the boot sector's root folder cluster (BPB_RootClus = ${cluster}) holds a subfolder (its '.' entry names it), not the root`, { cluster });
    }
    damage.push(...dir.damage());
    for (const r of dir.records()) {
      const p = path ? `${path}/${r.name}` : r.name;
      if (r.isDirectory) {
        if (r.firstCluster === 0) throw fail(`the folder "${p}" has no cluster`, { path: p });
        if (r.firstCluster === cluster || r.firstCluster === vol.rootCluster) throw fail(`the folder "${p}" points back to a folder above it`, { path: p });
        pending.push({ cluster: r.firstCluster, parent: cluster, path: p });
      } else if (r.firstCluster !== 0 || r.size !== 0) {
        const chain = r.firstCluster === 0 ? { runs: [], length: 0 } : fat.chainRuns(r.firstCluster, p);
        const expected = Math.ceil(r.size / g.bytesPerCluster);
        if (chain.length !== expected) throw fail(`"${p}" is ${r.size} bytes long but has ${chain.length} clusters`, { path: p });
        claim(chain.runs, p);
      }
    }
  }
  return { claimed, damage };
}

export async function verifyVolume(store: ByteStore, g: FatGeometry, vol: VerifiableVolume): Promise<void> {
  const fat = vol.fat;
  const offsets = vol.fatCopyOffsets();
  const copies: Uint8Array[] = [];
  for (const offset of offsets) copies.push(await store.read(offset, g.fatBytes));
  if (!allEqualTo(copies, fat.bytes)) {
    for (let i = 0; i < copies.length; i++) {
      const at = firstDifference(copies[i], fat.bytes);
      if (at >= 0) throw failed(`the FAT copy at byte ${offsets[i]} differs from the FAT in memory at byte ${at}`, { offset: offsets[i], at });
    }
  }
  const { claimed } = await walkTree(store, g, vol, failed);

  for (const c of fat.changedClusters()) {
    const v = fat.get(c);
    if (v !== 0 && !fat.isBad(v) && !claimed[c]) throw failed(`cluster ${c} was changed by this write but belongs to no file or folder`, { cluster: c });
  }
  const free = fat.countFree();
  if (free !== fat.freeCount) throw failed(`the FAT has ${free} free clusters but ${fat.freeCount} were counted`);
  if (g.fsInfoSector && vol.fsInfoWritten) {
    const info = parseFsInfo(await store.read(g.fsInfoSector * g.bytesPerSector, 512));
    if (!info) throw failed('the FSInfo sector written has no valid signatures');
    if (info.freeCount !== FSINFO_UNKNOWN && info.freeCount !== free) {
      throw failed(`FSInfo says ${info.freeCount} clusters are free but ${free} are`, { fsInfo: info.freeCount, free });
    }
  }
}

/**
 * Whether every copy equals `bytes`: the usual two FAT copies in one pass of 32-bit words, not
 * one pass each (the loop runs cold, once per configure; issue 7, start-up). Where a copy
 * differs, firstDifference finds the byte for the message.
 */
function allEqualTo(copies: readonly Uint8Array[], bytes: Uint8Array): boolean {
  if (copies.some((c) => c.length !== bytes.length)) return false;
  const aligned = (a: Uint8Array) => (a.byteOffset & 3) === 0;
  if (copies.length !== 2 || !copies.every(aligned) || !aligned(bytes)) return copies.every((c) => firstDifference(c, bytes) < 0);
  const words = bytes.length >>> 2;
  const m = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
  const a = new Uint32Array(copies[0].buffer, copies[0].byteOffset, words);
  const b = new Uint32Array(copies[1].buffer, copies[1].byteOffset, words);
  let w = 0;
  while (w < words && a[w] === m[w] && b[w] === m[w]) w++;
  if (w < words) return false;
  for (let i = words << 2; i < bytes.length; i++) if (copies[0][i] !== bytes[i] || copies[1][i] !== bytes[i]) return false;
  return true;
}

/** [first, count, …] of a chain given cluster by cluster. */
function toRuns(chain: readonly number[]): number[] {
  const runs: number[] = [];
  for (let i = 0; i < chain.length; ) {
    let j = i + 1;
    while (j < chain.length && chain[j] === chain[j - 1] + 1) j++;
    runs.push(chain[i], j - i);
    i = j;
  }
  return runs;
}

function checkDotEntries(dir: DirectoryTable, selfCluster: number, parent: number, path: string, fail: Fail): void {
  const dots = dir.dotRecords();
  const dot = dots.find((r) => r.shortName === '.');
  const dotdot = dots.find((r) => r.shortName === '..');
  if (!dot || dot.firstCluster !== selfCluster) throw fail(`the '.' entry of "${path}" does not point to the folder itself`, { path });
  if (!dotdot || dotdot.firstCluster !== parent) throw fail(`the '..' entry of "${path}" does not point to its parent`, { path });
}
