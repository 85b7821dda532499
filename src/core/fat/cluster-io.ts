/**
 * Reading and writing the data of a cluster chain, one store call per run of consecutive clusters.
 */
import type { ByteStore } from '../io/byte-source.ts';
import { clusterOffset, type FatGeometry } from './boot-sector.ts';

/** Runs of consecutive clusters as [start index in chain, length]. */
function runs(chain: readonly number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < chain.length; ) {
    let j = i + 1;
    while (j < chain.length && chain[j] === chain[j - 1] + 1) j++;
    out.push([i, j - i]);
    i = j;
  }
  return out;
}

/** The first `size` bytes stored in `chain` (size ≤ chain length × cluster size). */
export async function readChain(store: ByteStore, g: FatGeometry, chain: readonly number[], size: number): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  const bpc = g.bytesPerCluster;
  for (const [start, length] of runs(chain)) {
    const from = start * bpc;
    if (from >= size) break;
    const n = Math.min(length * bpc, size - from);
    out.set(await store.read(clusterOffset(g, chain[start]), n), from);
  }
  return out;
}

/** Writes `data` into `chain`, zero-filling the rest of the last cluster (no stale bytes leak). */
export async function writeChain(store: ByteStore, g: FatGeometry, chain: readonly number[], data: Uint8Array): Promise<void> {
  const bpc = g.bytesPerCluster;
  for (const [start, length] of runs(chain)) {
    const from = start * bpc;
    const to = from + length * bpc;
    let bytes = data.subarray(from, Math.min(to, data.length));
    if (bytes.length < length * bpc) {
      const padded = new Uint8Array(length * bpc);
      padded.set(bytes);
      bytes = padded;
    }
    await store.write(clusterOffset(g, chain[start]), bytes);
  }
}

/** Fills whole clusters with zeros (new directory clusters, §6.7: a directory grows zeroed). */
export async function zeroClusters(store: ByteStore, g: FatGeometry, clusters: readonly number[]): Promise<void> {
  const zeros = new Uint8Array(g.bytesPerCluster);
  for (const c of clusters) await store.write(clusterOffset(g, c), zeros);
}
