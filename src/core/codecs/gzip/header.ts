import { CoreError } from '../../errors.ts';
import { put32, u32 } from '../../bytes/little-endian.ts';
import { corrupt } from '../kit/errors.ts';
import type { SourceReader } from '../kit/reader.ts';

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
export async function readGzipHeader(reader: SourceReader): Promise<GzipHeader> {
  const start = reader.position;
  const fixed = await reader.readExact(10, 'a gzip header');
  if (fixed[0] !== GZIP_MAGIC[0] || fixed[1] !== GZIP_MAGIC[1]) {
    throw corrupt(`The gzip data has no member header at byte ${start} (bad magic).`, { offset: start });
  }
  if (fixed[2] !== 8) {
    throw new CoreError('ARCHIVE_UNSUPPORTED', `The gzip member at byte ${start} uses compression method ${fixed[2]}, not deflate.`, { offset: start });
  }
  const flg = fixed[3];
  if (flg & FRESERVED) throw corrupt(`The gzip header at byte ${start} has reserved flag bits set.`, { offset: start });
  let length = 10;
  if (flg & FEXTRA) {
    const xlen = await reader.readExact(2, 'a gzip header');
    const n = xlen[0] | (xlen[1] << 8);
    reader.skip(n, 'a gzip header');
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
    reader.skip(2, 'a gzip header');
    length += 2;
  }
  return { start, length, name };
}

async function readZeroTerminated(reader: SourceReader): Promise<Uint8Array> {
  const parts: number[] = [];
  for (;;) {
    const b = await reader.readExact(1, 'a gzip header');
    if (b[0] === 0) return new Uint8Array(parts);
    parts.push(b[0]);
    if (parts.length > 65536) throw corrupt('A gzip header name or comment is not terminated.');
  }
}

/** The 8-byte member trailer (RFC 1952 §2.3: CRC32, ISIZE = length mod 2^32), little-endian. */
export function parseGzipTrailer(b: Uint8Array): { crc: number; isize: number } {
  return { crc: u32(b, 0), isize: u32(b, 4) };
}

export function gzipTrailer(crc: number, isize: number): Uint8Array {
  const b = new Uint8Array(8);
  put32(b, 0, crc >>> 0);
  put32(b, 4, isize >>> 0);
  return b;
}
