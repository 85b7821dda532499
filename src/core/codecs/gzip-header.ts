import { CoreError } from '../errors.ts';
import type { InputReader } from './stream-reader.ts';

/** gzip member header flags (RFC 1952 §2.3.1). */
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const FRESERVED = 0xe0;

export const GZIP_MAGIC = [0x1f, 0x8b] as const;

export interface GzipHeader {
  /** Absolute input offset of the header. */
  start: number;
  /** Header length in bytes (the deflate data starts at start + length). */
  length: number;
  name?: string;
}

/**
 * Reads one gzip member header (RFC 1952 §2.3: ID1 ID2 CM FLG MTIME XFL OS, then the optional
 * FEXTRA, FNAME, FCOMMENT, FHCRC fields) from the reader's position.
 */
export async function readGzipHeader(reader: InputReader): Promise<GzipHeader> {
  const start = reader.position;
  const fixed = await reader.readExact(10, 'a gzip header');
  if (fixed[0] !== GZIP_MAGIC[0] || fixed[1] !== GZIP_MAGIC[1]) {
    throw new CoreError('ARCHIVE_CORRUPT', `The gzip data has no member header at byte ${start} (bad magic).`, { offset: start });
  }
  if (fixed[2] !== 8) {
    throw new CoreError('ARCHIVE_UNSUPPORTED', `The gzip member at byte ${start} uses compression method ${fixed[2]}, not deflate.`, { offset: start });
  }
  const flg = fixed[3];
  if (flg & FRESERVED) throw new CoreError('ARCHIVE_CORRUPT', `The gzip header at byte ${start} has reserved flag bits set.`, { offset: start });
  let length = 10;
  if (flg & FEXTRA) {
    const xlen = await reader.readExact(2, 'a gzip header');
    const n = xlen[0] | (xlen[1] << 8);
    await reader.skip(n, 'a gzip header');
    length += 2 + n;
  }
  let name: string | undefined;
  if (flg & FNAME) {
    const bytes = await readZeroTerminated(reader);
    length += bytes.length + 1;
    name = new TextDecoder('latin1').decode(bytes);
  }
  if (flg & FCOMMENT) length += (await readZeroTerminated(reader)).length + 1;
  if (flg & FHCRC) {
    await reader.skip(2, 'a gzip header');
    length += 2;
  }
  return { start, length, name };
}

async function readZeroTerminated(reader: InputReader): Promise<Uint8Array> {
  const parts: number[] = [];
  for (;;) {
    const b = await reader.readExact(1, 'a gzip header');
    if (b[0] === 0) return new Uint8Array(parts);
    parts.push(b[0]);
    if (parts.length > 65536) throw new CoreError('ARCHIVE_CORRUPT', 'A gzip header name or comment is not terminated.');
  }
}

/** The 8-byte member trailer (RFC 1952 §2.3: CRC32, ISIZE = length mod 2^32), little-endian. */
export function parseGzipTrailer(b: Uint8Array): { crc: number; isize: number } {
  const v = new DataView(b.buffer, b.byteOffset, 8);
  return { crc: v.getUint32(0, true), isize: v.getUint32(4, true) };
}

export function gzipTrailer(crc: number, isize: number): Uint8Array {
  const b = new Uint8Array(8);
  const v = new DataView(b.buffer);
  v.setUint32(0, crc >>> 0, true);
  v.setUint32(4, isize >>> 0, true);
  return b;
}
