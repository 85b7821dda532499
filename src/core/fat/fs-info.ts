/**
 * The FAT32 FSInfo sector. Spec: Microsoft FAT spec v1.03, §5 "FAT32 FSInfo Sector Structure".
 * Only FSI_Free_Count (488) and FSI_Nxt_Free (492) are ever changed; both are hints a driver may
 * recompute, but fsck.fat reports a wrong free count, so we keep them exact.
 */
export const FSINFO_UNKNOWN = 0xffffffff;

export interface FsInfo {
  readonly freeCount: number;
  readonly nextFree: number;
}

export const FSI_LEAD_SIG = 0x41615252; // "RRaA" at 0
export const FSI_STRUC_SIG = 0x61417272; // "rrAa" at 484
export const FSI_TRAIL_SIG = 0xaa550000; // at 508

/** How many of the three signatures are right (0–3), with the counters as stored. */
export function readFsInfo(sector: Uint8Array): FsInfo & { signatures: number } {
  const v = new DataView(sector.buffer, sector.byteOffset, sector.byteLength);
  const signatures = Number(v.getUint32(0, true) === FSI_LEAD_SIG) + Number(v.getUint32(484, true) === FSI_STRUC_SIG) + Number(v.getUint32(508, true) === FSI_TRAIL_SIG);
  return { signatures, freeCount: v.getUint32(488, true), nextFree: v.getUint32(492, true) };
}

/** The whole sector with right signatures and `info`'s counters, other bytes as in `sector`. */
export function encodeFsInfo(sector: Uint8Array, info: FsInfo): Uint8Array {
  const out = sector.slice(0, 512);
  const v = new DataView(out.buffer);
  v.setUint32(0, FSI_LEAD_SIG, true);
  v.setUint32(484, FSI_STRUC_SIG, true);
  v.setUint32(508, FSI_TRAIL_SIG, true);
  out.set(encodeFsInfoCounters(info), FSINFO_COUNTERS_OFFSET);
  return out;
}

/** Parses the sector; null when its three signatures are not all present. */
export function parseFsInfo(sector: Uint8Array): FsInfo | null {
  const v = new DataView(sector.buffer, sector.byteOffset, sector.byteLength);
  if (v.getUint32(0, true) !== 0x41615252) return null; // FSI_LeadSig "RRaA"
  if (v.getUint32(484, true) !== 0x61417272) return null; // FSI_StrucSig "rrAa"
  if (v.getUint32(508, true) !== 0xaa550000) return null; // FSI_TrailSig
  return { freeCount: v.getUint32(488, true), nextFree: v.getUint32(492, true) };
}

/** The 8 bytes at offset 488 holding the two counters. */
export function encodeFsInfoCounters(info: FsInfo): Uint8Array {
  const out = new Uint8Array(8);
  const v = new DataView(out.buffer);
  v.setUint32(0, info.freeCount >>> 0, true);
  v.setUint32(4, info.nextFree >>> 0, true);
  return out;
}

export const FSINFO_COUNTERS_OFFSET = 488;
