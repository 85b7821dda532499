/**
 * GUID partition table (balenaos.md §1.2). The header is at LBA 1 for an unknown logical sector
 * size, so 512, 1024, 2048 and 4096 are tried in turn (4Kn images exist). A damaged primary
 * falls back to the backup header; the end of the image is read only then, because the source
 * may be a stream still being decoded whose size is not known (size = Infinity).
 */
import { CoreError, isCoreError } from '../errors.ts';
import type { ByteSource } from '../io/byte-source.ts';
import { parseGptEntries } from './gpt-entries.ts';
import { checkGptEntriesCrc, checkGptHeader, hasGptSignature, type GptHeader } from './gpt-header.ts';
import type { Partition } from './types.ts';

const SECTOR_SIZES = [512, 1024, 2048, 4096];

export interface GptLayout {
  partitions: Partition[];
  sectorSize: number;
  diskId: string;
  warnings: string[];
}

type Attempt =
  | { ok: true; header: GptHeader; entries: Uint8Array }
  | {
      ok: false;
      problem: string;
      crcFailed: boolean;
      header?: GptHeader;
      /** The header itself verified; only its entry array failed. */
      headerTrusted: boolean;
      signature: boolean;
    };

function isIoError(e: unknown): boolean {
  return isCoreError(e) && (e.code === 'IO_TRUNCATED' || e.code === 'IO_OUT_OF_RANGE');
}

/** One sector, or null when it lies outside the source. */
async function readSector(source: ByteSource, lba: number, sectorSize: number): Promise<Uint8Array | null> {
  const offset = lba * sectorSize;
  if (!Number.isSafeInteger(offset) || (Number.isFinite(source.size) && offset + sectorSize > source.size)) return null;
  try {
    return await source.read(offset, sectorSize);
  } catch (e) {
    if (isIoError(e)) return null;
    throw e;
  }
}

/**
 * Verifies the header at `lba` and its entry array. An unreadable primary entry array means a
 * truncated image (IO_TRUNCATED propagates); an unreadable backup is just one more failed attempt.
 */
async function tryHeader(source: ByteSource, lba: number, sectorSize: number, isBackup: boolean): Promise<Attempt> {
  const sector = await readSector(source, lba, sectorSize);
  if (!sector) return { ok: false, problem: 'lies past the end of the image', crcFailed: false, headerTrusted: false, signature: false };
  const check = checkGptHeader(sector, lba);
  if (!check.ok) return { ...check, headerTrusted: false, signature: hasGptSignature(sector) };
  const { header } = check;
  let entries: Uint8Array;
  try {
    entries = await source.read(header.entriesLba * sectorSize, header.entryCount * header.entrySize);
  } catch (e) {
    if (!isBackup || !isIoError(e)) throw e;
    return { ok: false, problem: `its entry array at LBA ${header.entriesLba} lies past the end of the image`, crcFailed: false, headerTrusted: true, signature: true, header };
  }
  const problem = checkGptEntriesCrc(header, entries);
  if (problem) return { ok: false, problem, crcFailed: true, headerTrusted: true, signature: true, header };
  return { ok: true, header, entries };
}

/** The first sector size whose LBA 1 starts with "EFI PART", with that sector. */
async function findPrimary(source: ByteSource): Promise<number | null> {
  for (const sectorSize of SECTOR_SIZES) {
    const sector = await readSector(source, 1, sectorSize);
    if (sector && hasGptSignature(sector)) return sectorSize;
  }
  return null;
}

/** Where to look for the backup header: AlternateLBA of a trustworthy primary, else the last sector. */
function backupLocations(source: ByteSource, sectorSizes: number[], primary?: Attempt): { lba: number; sectorSize: number }[] {
  const [sectorSize] = sectorSizes;
  if (primary && !primary.ok && primary.headerTrusted && primary.header) {
    return [{ lba: primary.header.alternateLba, sectorSize }];
  }
  const locations: { lba: number; sectorSize: number }[] = [];
  if (Number.isFinite(source.size)) {
    for (const size of sectorSizes) locations.push({ lba: Math.floor(source.size / size) - 1, sectorSize: size });
  }
  // A header whose CRC failed is untrusted, but its AlternateLBA is still the best hint left.
  const hint = primary && !primary.ok ? primary.header?.alternateLba : undefined;
  if (hint !== undefined && Number.isFinite(hint) && hint > 1 && !locations.some((l) => l.lba === hint && l.sectorSize === sectorSize)) {
    locations.push({ lba: hint, sectorSize });
  }
  return locations;
}

function layout(attempt: Attempt & { ok: true }, sectorSize: number, warnings: string[]): GptLayout {
  const partitions = parseGptEntries(attempt.header, attempt.entries, sectorSize, warnings);
  return { partitions, sectorSize, diskId: attempt.header.diskGuid, warnings };
}

export async function readGpt(source: ByteSource): Promise<GptLayout> {
  const primarySize = await findPrimary(source);
  const failures: { where: string; problem: string; crcFailed: boolean }[] = [];
  let locations: { lba: number; sectorSize: number }[];
  if (primarySize !== null) {
    const primary = await tryHeader(source, 1, primarySize, false);
    if (primary.ok) return layout(primary, primarySize, []);
    failures.push({ where: 'primary header at LBA 1', problem: primary.problem, crcFailed: primary.crcFailed });
    locations = backupLocations(source, [primarySize], primary);
  } else {
    failures.push({ where: 'LBA 1', problem: 'no "EFI PART" header for sector sizes 512–4096', crcFailed: false });
    locations = backupLocations(source, SECTOR_SIZES);
  }
  for (const { lba, sectorSize } of locations) {
    const backup = await tryHeader(source, lba, sectorSize, true);
    if (backup.ok) {
      const warning = `The primary GPT is damaged (${failures[0].problem}); used the backup header at LBA ${lba}.`;
      return layout(backup, sectorSize, [warning]);
    }
    // Guessing sector sizes at the end of the image: a sector without a signature is just a miss.
    if (primarySize !== null || backup.signature) {
      failures.push({ where: `backup header at LBA ${lba}`, problem: backup.problem, crcFailed: backup.crcFailed });
    }
  }
  if (failures.length === 1) failures.push({ where: 'backup header', problem: Number.isFinite(source.size) ? 'not found in the last sector' : 'not looked for (image size unknown)', crcFailed: false });
  const detail = failures.map((f) => `${f.where}: ${f.problem}`).join('; ');
  if (failures.some((f) => f.crcFailed)) {
    throw new CoreError('GPT_CRC_MISMATCH', `The GPT is damaged and no intact copy exists — ${detail}.`, { failures });
  }
  throw new CoreError('PARTITION_TABLE_INVALID', `The disk has a protective MBR but no valid GPT — ${detail}.`, { failures });
}
