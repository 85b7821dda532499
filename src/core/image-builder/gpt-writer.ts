/**
 * Writes a GPT (UEFI 2.10 §5.3): the protective MBR (§5.2.3: one 0xEE entry from LBA 1 over the
 * whole disk, capped at 2^32−1 sectors), the primary header at LBA 1 with the entry array from
 * LBA 2, and the backup array + header at the end of the disk. Both CRC32s are filled in; the
 * backup header differs only in its own/alternate LBAs, its entry-array LBA and its CRC.
 */
import { crc32 } from '../bytes/crc32.ts';
import { CoreError } from '../errors.ts';
import type { ByteStore } from '../io/byte-source.ts';
import { encodeGuid } from './guid-encode.ts';
import { encodeTableSector } from './mbr-writer.ts';

const ENTRY_SIZE = 128;
const HEADER_SIZE = 92;
const NAME_CHARS = 36;

export interface GptPartitionSpec {
  typeGuid: string;
  guid: string;
  firstLba: number;
  /** Inclusive. */
  lastLba: number;
  /** Up to 36 UTF-16 code units (balenaOS: the FAT label, e.g. `resin-boot`). */
  name?: string;
  attributes?: bigint;
}

export interface GptLayout {
  sectorSize: number;
  totalSectors: number;
  diskGuid: string;
  partitions: GptPartitionSpec[];
  /** Default 128 (what every partitioner writes). */
  entryCount?: number;
}

/** First and last LBA a partition may use (§5.3.2: after the primary array, before the backup). */
export function gptUsableRange(sectorSize: number, totalSectors: number, entryCount = 128): { firstUsable: number; lastUsable: number } {
  const arraySectors = Math.ceil((entryCount * ENTRY_SIZE) / sectorSize);
  return { firstUsable: 2 + arraySectors, lastUsable: totalSectors - 2 - arraySectors };
}

function encodeEntries(layout: GptLayout, count: number): Uint8Array {
  const array = new Uint8Array(count * ENTRY_SIZE);
  const v = new DataView(array.buffer);
  const { firstUsable, lastUsable } = gptUsableRange(layout.sectorSize, layout.totalSectors, count);
  layout.partitions.forEach((p, i) => {
    if (p.firstLba < firstUsable || p.lastLba > lastUsable || p.lastLba < p.firstLba) {
      throw new CoreError('INTERNAL', `GPT partition ${i + 1} (LBA ${p.firstLba}–${p.lastLba}) is outside the usable range ${firstUsable}–${lastUsable}.`);
    }
    const name = p.name ?? '';
    if (name.length > NAME_CHARS) throw new CoreError('INTERNAL', `The GPT name "${name}" is longer than ${NAME_CHARS} characters.`);
    const at = i * ENTRY_SIZE;
    array.set(encodeGuid(p.typeGuid), at); // PartitionTypeGUID
    array.set(encodeGuid(p.guid), at + 16); // UniquePartitionGUID
    v.setBigUint64(at + 32, BigInt(p.firstLba), true); // StartingLBA
    v.setBigUint64(at + 40, BigInt(p.lastLba), true); // EndingLBA
    v.setBigUint64(at + 48, p.attributes ?? 0n, true); // Attributes
    for (let c = 0; c < name.length; c++) v.setUint16(at + 56 + 2 * c, name.charCodeAt(c), true); // PartitionName
  });
  return array;
}

function encodeHeader(layout: GptLayout, count: number, myLba: number, alternateLba: number, entriesLba: number, entriesCrc: number): Uint8Array {
  const h = new Uint8Array(layout.sectorSize);
  const v = new DataView(h.buffer);
  const { firstUsable, lastUsable } = gptUsableRange(layout.sectorSize, layout.totalSectors, count);
  h.set([0x45, 0x46, 0x49, 0x20, 0x50, 0x41, 0x52, 0x54], 0); // "EFI PART"
  v.setUint32(8, 0x00010000, true); // Revision 1.0
  v.setUint32(12, HEADER_SIZE, true);
  v.setBigUint64(0x18, BigInt(myLba), true);
  v.setBigUint64(0x20, BigInt(alternateLba), true);
  v.setBigUint64(0x28, BigInt(firstUsable), true);
  v.setBigUint64(0x30, BigInt(lastUsable), true);
  h.set(encodeGuid(layout.diskGuid), 0x38);
  v.setBigUint64(0x48, BigInt(entriesLba), true);
  v.setUint32(0x50, count, true);
  v.setUint32(0x54, ENTRY_SIZE, true);
  v.setUint32(0x58, entriesCrc, true);
  v.setUint32(0x10, crc32(h.subarray(0, HEADER_SIZE)), true); // HeaderCRC32, computed with the field at 0
  return h;
}

/** Writes the protective MBR, both headers and both entry arrays. */
export async function writeGpt(store: ByteStore, layout: GptLayout): Promise<void> {
  const ss = layout.sectorSize;
  const count = layout.entryCount ?? 128;
  if (layout.partitions.length > count) throw new CoreError('INTERNAL', `${layout.partitions.length} partitions do not fit in ${count} GPT entries.`);
  if (layout.totalSectors * ss > store.size) throw new CoreError('INTERNAL', `The disk is smaller than the ${layout.totalSectors} sectors of its GPT.`);
  const array = encodeEntries(layout, count);
  const arrayCrc = crc32(array);
  const arraySectors = Math.ceil(array.length / ss);
  const last = layout.totalSectors - 1;
  const protective = encodeTableSector([{ type: 0xee, startLba: 1, sectors: Math.min(layout.totalSectors - 1, 0xffffffff) }]);
  await store.write(0, protective);
  await store.write(ss, encodeHeader(layout, count, 1, last, 2, arrayCrc));
  await store.write(2 * ss, array);
  await store.write((last - arraySectors) * ss, array);
  await store.write(last * ss, encodeHeader(layout, count, last, 1, last - arraySectors, arrayCrc));
}
