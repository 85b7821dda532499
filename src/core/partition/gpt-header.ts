/**
 * The GPT header (UEFI 2.10 §5.3.2, balenaos.md §1.2) and the checks that decide whether it can
 * be trusted: signature, size, CRC32 of the header, its own LBA, and sane entry-array geometry.
 */
import { crc32 } from '../bytes/crc32.ts';
import { decodeGuid } from './guid.ts';
import { u32, u64 } from './little-endian.ts';

export const GPT_SIGNATURE = 'EFI PART';
const MIN_HEADER_SIZE = 92;
/** 128 entries of 128 bytes is usual; far more than this is garbage, not a table. */
const MAX_ENTRY_ARRAY_BYTES = 4 * 1024 * 1024;

export interface GptHeader {
  myLba: number;
  alternateLba: number;
  firstUsableLba: number;
  lastUsableLba: number;
  diskGuid: string;
  entriesLba: number;
  entryCount: number;
  entrySize: number;
  entriesCrc: number;
}

export type GptHeaderCheck =
  | { ok: true; header: GptHeader }
  /** `header` is set when the fields could be read at all (e.g. only the CRC was wrong). */
  | { ok: false; problem: string; crcFailed: boolean; header?: GptHeader };

export function hasGptSignature(sector: Uint8Array): boolean {
  if (sector.length < 8) return false;
  for (let i = 0; i < 8; i++) if (sector[i] !== GPT_SIGNATURE.charCodeAt(i)) return false;
  return true;
}

function hex32(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}

/** Parses and verifies the header in `sector`, which was read from LBA `expectedLba`. */
export function checkGptHeader(sector: Uint8Array, expectedLba: number): GptHeaderCheck {
  if (!hasGptSignature(sector)) return { ok: false, problem: 'no "EFI PART" signature', crcFailed: false };
  const headerSize = u32(sector, 0x0c);
  if (headerSize < MIN_HEADER_SIZE || headerSize > sector.length) {
    return { ok: false, problem: `header size ${headerSize} is invalid`, crcFailed: false };
  }
  const header: GptHeader = {
    myLba: u64(sector, 0x18),
    alternateLba: u64(sector, 0x20),
    firstUsableLba: u64(sector, 0x28),
    lastUsableLba: u64(sector, 0x30),
    diskGuid: decodeGuid(sector, 0x38),
    entriesLba: u64(sector, 0x48),
    entryCount: u32(sector, 0x50),
    entrySize: u32(sector, 0x54),
    entriesCrc: u32(sector, 0x58),
  };
  const stored = u32(sector, 0x10);
  const copy = sector.slice(0, headerSize);
  copy.fill(0, 0x10, 0x14); // the CRC is computed with its own field zeroed
  const computed = crc32(copy);
  if (computed !== stored) {
    return { ok: false, problem: `header CRC32 mismatch (stored ${hex32(stored)}, computed ${hex32(computed)})`, crcFailed: true, header };
  }
  if (header.myLba !== expectedLba) {
    return { ok: false, problem: `header says it lives at LBA ${header.myLba}`, crcFailed: false, header };
  }
  if (header.entrySize < 128 || header.entrySize % 8 !== 0 || header.entryCount * header.entrySize > MAX_ENTRY_ARRAY_BYTES) {
    return { ok: false, problem: `entry array of ${header.entryCount} × ${header.entrySize} bytes is invalid`, crcFailed: false, header };
  }
  if (!Number.isFinite(header.entriesLba)) return { ok: false, problem: 'entry array LBA is invalid', crcFailed: false, header };
  return { ok: true, header };
}

/** Verifies the entry-array CRC32 stored in the header; returns a problem string or null. */
export function checkGptEntriesCrc(header: GptHeader, entries: Uint8Array): string | null {
  const computed = crc32(entries);
  if (computed === header.entriesCrc) return null;
  return `entry-array CRC32 mismatch (stored ${hex32(header.entriesCrc)}, computed ${hex32(computed)})`;
}
