/**
 * GPT partition entries (UEFI 2.10 §5.3.3): type GUID, unique GUID, first and last LBA
 * (inclusive), attributes, 72-byte UTF-16LE name. An all-zero type GUID marks an unused entry.
 */
import { CoreError } from '../errors.ts';
import { decodeGuid, isZeroGuid } from './guid.ts';
import { u64 } from './little-endian.ts';
import { gptTypeName } from './partition-types.ts';
import type { GptHeader } from './gpt-header.ts';
import type { Partition } from './types.ts';

const NAME_AT = 56;
const NAME_BYTES = 72;
const utf16 = new TextDecoder('utf-16le');

function decodeName(entry: Uint8Array): string {
  const raw = entry.subarray(NAME_AT, NAME_AT + NAME_BYTES);
  let end = 0;
  while (end < raw.length && (raw[end] !== 0 || raw[end + 1] !== 0)) end += 2; // stop at a NUL code unit
  return utf16.decode(raw.subarray(0, end));
}

export function parseGptEntries(header: GptHeader, array: Uint8Array, sectorSize: number, warnings: string[]): Partition[] {
  const partitions: Partition[] = [];
  for (let i = 0; i < header.entryCount; i++) {
    const entry = array.subarray(i * header.entrySize, (i + 1) * header.entrySize);
    if (isZeroGuid(entry, 0)) continue;
    const firstLba = u64(entry, 32);
    const lastLba = u64(entry, 40);
    if (!Number.isFinite(lastLba) || lastLba < firstLba) {
      throw new CoreError(
        'PARTITION_TABLE_INVALID',
        `GPT partition ${i + 1} ends (LBA ${lastLba}) before it starts (LBA ${firstLba}): the partition table is corrupt.`,
        { index: i + 1, firstLba, lastLba },
      );
    }
    if (firstLba < header.firstUsableLba || lastLba > header.lastUsableLba) {
      warnings.push(`GPT partition ${i + 1} (LBA ${firstLba}–${lastLba}) lies outside the usable area LBA ${header.firstUsableLba}–${header.lastUsableLba}.`);
    }
    const type = decodeGuid(entry, 0);
    partitions.push({
      index: i + 1,
      start: firstLba * sectorSize,
      size: (lastLba - firstLba + 1) * sectorSize,
      type,
      typeName: gptTypeName(type),
      name: decodeName(entry),
      guid: decodeGuid(entry, 16),
    });
  }
  return partitions;
}
