/**
 * The fixed-layout pieces of the .xz container: stream header and footer, block header, index,
 * multibyte integers. Section numbers refer to "The .xz File Format" 1.0.4 (tukaani.org,
 * xz-file-format.txt). Everything here is pure: bytes in, fields out (and back).
 */
import { CoreError } from '../../errors.ts';
import { crc32 } from '../../bytes/crc32.ts';
import { corrupt } from '../kit/errors.ts';

/** §2.1.1.1 Header Magic Bytes. */
export const STREAM_MAGIC = Uint8Array.of(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00);
/** §2.1.2.4 Footer Magic Bytes ("YZ"). */
const FOOTER_MAGIC = Uint8Array.of(0x59, 0x5a);
/** §2.1.1 and §2.1.2: both are 12 bytes. */
export const STREAM_HEADER_SIZE = 12;
/** §5.3.1 LZMA2 filter ID. */
export const LZMA2_FILTER_ID = 0x21;

/** §2.1.1.2 Check IDs we know by name. */
export const CHECK_NONE = 0x00;
export const CHECK_CRC32 = 0x01;
export const CHECK_CRC64 = 0x04;
export const CHECK_SHA256 = 0x0a;

/** §3.4: the check size follows from the Check ID, even for IDs without a defined algorithm. */
export function checkSize(checkId: number): number {
  if (checkId === 0) return 0;
  return 4 << Math.floor((checkId - 1) / 3);
}

export function checkName(checkId: number): string {
  return { 0: 'none', 1: 'CRC32', 4: 'CRC64', 10: 'SHA-256' }[checkId] ?? `check type ${checkId}`;
}

function equalAt(bytes: Uint8Array, at: number, expected: Uint8Array): boolean {
  for (let i = 0; i < expected.length; i++) if (bytes[at + i] !== expected[i]) return false;
  return true;
}

function u32le(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

function putU32le(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value & 0xff;
  bytes[at + 1] = (value >>> 8) & 0xff;
  bytes[at + 2] = (value >>> 16) & 0xff;
  bytes[at + 3] = (value >>> 24) & 0xff;
}

export function hasStreamMagic(bytes: Uint8Array): boolean {
  return bytes.length >= STREAM_MAGIC.length && equalAt(bytes, 0, STREAM_MAGIC);
}

/** §2.1.1 Stream Header → the Check ID. `bytes` is exactly 12 bytes. */
export function parseStreamHeader(bytes: Uint8Array): number {
  if (!hasStreamMagic(bytes)) throw corrupt('The input is not an .xz stream: its header magic bytes are wrong.');
  if (crc32(bytes.subarray(6, 8)) !== u32le(bytes, 8)) {
    throw corrupt('The .xz stream header is corrupt: its CRC32 does not match.');
  }
  return parseStreamFlags(bytes[6], bytes[7], 'header');
}

/** §2.1.1.2 Stream Flags: first byte zero, upper nibble of the second byte zero. */
function parseStreamFlags(b0: number, b1: number, where: string): number {
  if (b0 !== 0 || (b1 & 0xf0) !== 0) {
    throw new CoreError('ARCHIVE_UNSUPPORTED', `The .xz stream ${where} uses flags this program does not know (a newer .xz format version).`);
  }
  return b1 & 0x0f;
}

export function encodeStreamHeader(checkId: number): Uint8Array {
  const out = new Uint8Array(STREAM_HEADER_SIZE);
  out.set(STREAM_MAGIC);
  out[7] = checkId;
  putU32le(out, 8, crc32(out.subarray(6, 8)));
  return out;
}

/** §2.1.2 Stream Footer → the index size it announces (Backward Size). */
export function parseStreamFooter(bytes: Uint8Array, checkId: number): number {
  const footer = readStreamFooter(bytes);
  if (footer.checkId !== checkId) throw corrupt('The .xz stream footer names another check type than the stream header.');
  return footer.indexSize;
}

/** True when `bytes` (12) look like a stream footer: magic and CRC32 right. */
export function isStreamFooter(bytes: Uint8Array): boolean {
  return equalAt(bytes, 10, FOOTER_MAGIC) && crc32(bytes.subarray(4, 10)) === u32le(bytes, 0);
}

/** §2.1.2 Stream Footer → the index size (Backward Size) and the Check ID of its flags. */
export function readStreamFooter(bytes: Uint8Array): { indexSize: number; checkId: number } {
  if (!equalAt(bytes, 10, FOOTER_MAGIC)) throw corrupt('The .xz stream footer is corrupt: its magic bytes are wrong.');
  if (crc32(bytes.subarray(4, 10)) !== u32le(bytes, 0)) throw corrupt('The .xz stream footer is corrupt: its CRC32 does not match.');
  const checkId = parseStreamFlags(bytes[8], bytes[9], 'footer');
  return { indexSize: (u32le(bytes, 4) + 1) * 4, checkId };
}

export function encodeStreamFooter(indexSize: number, checkId: number): Uint8Array {
  const out = new Uint8Array(STREAM_HEADER_SIZE);
  putU32le(out, 4, indexSize / 4 - 1);
  out[9] = checkId;
  putU32le(out, 0, crc32(out.subarray(4, 10)));
  out.set(FOOTER_MAGIC, 10);
  return out;
}

/** §1.2 Multibyte integer: 7 bits a byte, little end first, at most 9 bytes, no redundant 0x00. */
export function encodeVli(value: number, out: number[] = []): number[] {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

/** Reads a multibyte integer at `at`; returns [value, next offset], or null if `bytes` ends first. */
export function decodeVli(bytes: Uint8Array, at: number): [number, number] | null {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 9; i++) {
    if (at + i >= bytes.length) return null;
    const b = bytes[at + i];
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) {
      if (i > 0 && b === 0) throw corrupt('The .xz file holds a badly encoded integer (a redundant trailing zero byte).');
      if (!Number.isSafeInteger(value)) throw new CoreError('ARCHIVE_UNSUPPORTED', 'The .xz file holds a size beyond 2^53 bytes.');
      return [value, at + i + 1];
    }
    scale *= 0x80;
  }
  throw corrupt('The .xz file holds an integer longer than 9 bytes.');
}

export interface FilterFlags {
  id: number;
  properties: Uint8Array;
}

/** §3.1 Block Header, parsed. */
export interface BlockHeader {
  /** The header's bytes, as found (copied verbatim when the block is copied). */
  bytes: Uint8Array;
  compressedSize?: number;
  uncompressedSize?: number;
  filters: FilterFlags[];
  /** §5.3.1 LZMA2 dictionary-size byte of the last filter. */
  dictionaryByte: number;
}

/** §3.1.1: the real header size from its first byte (0x00 means: this is the index, §4.1). */
export function blockHeaderSize(firstByte: number): number {
  return (firstByte + 1) * 4;
}

/** Parses a whole block header (`bytes.length` = blockHeaderSize(bytes[0])). */
export function parseBlockHeader(bytes: Uint8Array, blockNumber: number): BlockHeader {
  const size = bytes.length;
  const where = `block ${blockNumber}`;
  if (crc32(bytes.subarray(0, size - 4)) !== u32le(bytes, size - 4)) {
    throw corrupt(`The .xz ${where} header is corrupt: its CRC32 does not match.`, { block: blockNumber });
  }
  const flags = bytes[1];
  if (flags & 0x3c) throw new CoreError('ARCHIVE_UNSUPPORTED', `The .xz ${where} header uses flags this program does not know.`);
  const body = bytes.subarray(0, size - 4);
  let at = 2;
  const field = (): number => {
    const r = decodeVli(body, at);
    if (!r) throw corrupt(`The .xz ${where} header is corrupt: a field runs past its end.`, { block: blockNumber });
    at = r[1];
    return r[0];
  };
  const header: BlockHeader = { bytes, filters: [], dictionaryByte: 0 };
  if (flags & 0x40) header.compressedSize = field();
  if (flags & 0x80) header.uncompressedSize = field();
  const filterCount = (flags & 0x03) + 1;
  for (let i = 0; i < filterCount; i++) {
    const id = field();
    const propertiesSize = field();
    if (at + propertiesSize > body.length) throw corrupt(`The .xz ${where} header is corrupt: filter properties run past its end.`);
    header.filters.push({ id, properties: body.slice(at, at + propertiesSize) });
    at += propertiesSize;
  }
  for (; at < body.length; at++) if (body[at] !== 0) throw corrupt(`The .xz ${where} header is corrupt: its padding is not zero.`);
  const last = header.filters[filterCount - 1];
  if (last.id !== LZMA2_FILTER_ID || last.properties.length !== 1) {
    throw new CoreError('ARCHIVE_UNSUPPORTED', `The .xz ${where} does not end its filter chain with LZMA2 (filter 0x${last.id.toString(16)}), which this program cannot read.`);
  }
  header.dictionaryByte = last.properties[0];
  return header;
}

/** A block header with both sizes and the single filter LZMA2 (what stored blocks need). */
export function encodeBlockHeader(compressedSize: number, uncompressedSize: number, dictionaryByte: number): Uint8Array {
  const fields: number[] = [0, 0xc0];
  encodeVli(compressedSize, fields);
  encodeVli(uncompressedSize, fields);
  fields.push(LZMA2_FILTER_ID, 1, dictionaryByte);
  const size = (fields.length + 4 + 3) & ~3;
  const out = new Uint8Array(size);
  out.set(fields);
  out[0] = size / 4 - 1;
  putU32le(out, size - 4, crc32(out.subarray(0, size - 4)));
  return out;
}

/** §4.3 One index record. */
export interface IndexRecord {
  unpaddedSize: number;
  uncompressedSize: number;
}

/** §4 Index: indicator, count, records, padding to 4, CRC32. */
export function encodeIndex(records: readonly IndexRecord[]): Uint8Array {
  const fields: number[] = [0];
  encodeVli(records.length, fields);
  for (const r of records) {
    encodeVli(r.unpaddedSize, fields);
    encodeVli(r.uncompressedSize, fields);
  }
  const size = (fields.length + 4 + 3) & ~3;
  const out = new Uint8Array(size);
  out.set(fields);
  putU32le(out, size - 4, crc32(out.subarray(0, size - 4)));
  return out;
}

/** §4: reads the CRC32 stored at the end of an index given in full. */
export function indexCrcMatches(index: Uint8Array): boolean {
  return crc32(index.subarray(0, index.length - 4)) === u32le(index, index.length - 4);
}

/**
 * §4 Index given in full (indicator through CRC32) → its records. Checks the indicator, the CRC32,
 * that the records fill the index exactly and that its padding is zero.
 */
export function parseIndex(bytes: Uint8Array, fileOffset: number): IndexRecord[] {
  const where = `The .xz index at byte ${fileOffset} is corrupt`;
  if (bytes.length < 8 || bytes.length % 4 !== 0 || bytes[0] !== 0x00) throw corrupt(`${where}: it is not where the stream footer says.`, { offset: fileOffset });
  if (!indexCrcMatches(bytes)) throw corrupt(`${where}: its CRC32 does not match.`, { offset: fileOffset });
  const body = bytes.subarray(0, bytes.length - 4);
  let at = 1;
  const field = (): number => {
    const r = decodeVli(body, at);
    if (!r) throw corrupt(`${where}: its records run past its end.`, { offset: fileOffset });
    at = r[1];
    return r[0];
  };
  const count = field();
  // Each record takes at least two bytes: a count beyond that is a lie, not a reason to loop.
  if (count > body.length / 2) throw corrupt(`${where}: it lists ${count} blocks in ${bytes.length} bytes.`, { offset: fileOffset });
  const records: IndexRecord[] = [];
  for (let i = 0; i < count; i++) {
    const unpaddedSize = field();
    const uncompressedSize = field();
    // §4.3.1: at least a minimal header (8), one LZMA2 byte, and the check; at most 2^63 − 4.
    if (unpaddedSize < 9) throw corrupt(`${where}: record ${i + 1} gives an impossible block size (${unpaddedSize}).`, { offset: fileOffset });
    records.push({ unpaddedSize, uncompressedSize });
  }
  if (body.length - at !== padTo4(at) || body.subarray(at).some((b) => b !== 0)) {
    throw corrupt(`${where}: its records do not fill it exactly.`, { offset: fileOffset });
  }
  return records;
}

/** Bytes of padding after `length` bytes to reach a multiple of four (§3.3, §4.4). */
export function padTo4(length: number): number {
  return (4 - (length % 4)) % 4;
}
