import { CoreError, shownName } from '../../errors.ts';
import { crc32 } from '../../bytes/crc32.ts';
import type { ByteSource } from '../../io/byte-source.ts';
import type { DeflateScanner, InflateEngine } from '../deflate/engine.ts';
import { openScanner } from '../deflate/open-scanner.ts';
import { corrupt, hex32 } from '../kit/errors.ts';
import type { SourceReader } from '../kit/reader.ts';
import type { CentralEntry } from './central.ts';
import type { ZipEnd } from './eocd.ts';
import { FLAG_DESCRIPTOR, FLAG_ENCRYPTED, readDescriptor, readLocalHeader, type DataDescriptor, type LocalHeader } from './records.ts';

/** The image member, located through the central directory and checked against it. */
export interface ZipImage {
  entry: CentralEntry;
  local: LocalHeader;
  /** Input offsets of the member's data [dataStart, dataEnd) and of the end of its record. */
  dataStart: number;
  dataEnd: number;
  recordEnd: number;
  descriptor: DataDescriptor | null;
}

/**
 * Locates `entry`'s data and validates its local header against the central directory — the
 * central directory is the archive's truth (readers such as unzip use it), so a local header that
 * disagrees on name, method, CRC or sizes is ARCHIVE_CORRUPT naming the field, never trusted.
 */
export async function locateImage(input: ByteSource, entry: CentralEntry, end: ZipEnd): Promise<ZipImage> {
  checkSupported(entry);
  const local = await readLocalHeader(input, entry.localOffset);
  const name = entry.name;
  if (local.name !== name) throw corrupt(`The zip local header at byte ${local.offset} is named ${shownName(local.name)}, but the central directory says ${shownName(name)}: the archive is damaged.`);
  if (local.method !== entry.method || (local.flags & FLAG_ENCRYPTED) !== 0) {
    throw corrupt(`The local header of zip member ${shownName(name)} disagrees with the central directory on its compression method or encryption.`, { member: name });
  }
  const dataStart = local.offset + local.bytes.length;
  const dataEnd = dataStart + entry.compressedSize;
  if (dataEnd > end.cdOffset) throw corrupt(`The data of zip member ${shownName(name)} runs into the central directory: the archive is damaged.`, { member: name });
  let descriptor: DataDescriptor | null = null;
  let recordEnd = dataEnd;
  let claimed = { crc: local.crc, compressedSize: local.compressedSize, size: local.size, where: 'local header' };
  if (local.flags & FLAG_DESCRIPTOR) {
    descriptor = await readDescriptor(input, dataEnd, entry, name);
    recordEnd = dataEnd + descriptor.bytes.length;
    claimed = { crc: descriptor.crc, compressedSize: descriptor.compressedSize, size: descriptor.size, where: 'data descriptor' };
  }
  for (const k of ['crc', 'compressedSize', 'size'] as const) {
    if (claimed[k] !== entry[k]) {
      throw corrupt(
        `The ${claimed.where} of zip member ${shownName(name)} says ${label(k)} ${show(k, claimed[k])}, but the central directory says ${show(k, entry[k])}: the archive is damaged.`,
        { member: name, field: k },
      );
    }
  }
  if (entry.method === 0 && entry.size !== entry.compressedSize) {
    throw corrupt(`Zip member ${shownName(name)} is stored, but its sizes differ (${entry.size} and ${entry.compressedSize} bytes).`, { member: name });
  }
  return { entry, local, dataStart, dataEnd, recordEnd, descriptor };
}

/**
 * A pull decoder over a deflated member's data, checked when it ends: all compressed bytes used,
 * decoded length and CRC-32 as the central directory says — so a size the headers overstate (which
 * unzip -t lets pass) is reported whenever the decoder gets there. `keepsChunks`: the caller (a
 * DecodedHead) keeps every chunk, so the CRC is computed only at the end. `engine`: the host's
 * raw-deflate engine (deflate/engine.ts), pako without one.
 */
export function memberDecoder(img: ZipImage, reader: SourceReader, options: { keepsChunks?: boolean; engine?: InflateEngine } = {}): { scanner: DeflateScanner; pull: () => Promise<Uint8Array | null> } {
  const scanner = openScanner(reader, `zip member ${shownName(img.entry.name)}`, { deferCrc: options.keepsChunks, engine: options.engine });
  let checked = false;
  const pull = async (): Promise<Uint8Array | null> => {
    if (checked) return null;
    const chunk = await scanner.pull();
    if (scanner.ended) {
      checked = true;
      checkDecoded(img, scanner.end, scanner.decoded, scanner.crc);
    }
    return chunk && chunk.length > 0 ? chunk : checked ? null : new Uint8Array(0);
  };
  return { scanner, pull };
}

/** The CRC-32 of a stored member's data, for verification. */
export async function storedCrc(input: ByteSource, img: ZipImage): Promise<number> {
  let crc = 0;
  for (let p = img.dataStart; p < img.dataEnd; p += 8 << 20) crc = crc32(await input.read(p, Math.min(8 << 20, img.dataEnd - p)), crc);
  return crc;
}

export function checkDecoded(img: ZipImage, end: number, size: number, crc: number): void {
  const e = img.entry;
  if (end !== img.dataEnd) throw corrupt(`Zip member ${shownName(e.name)} has ${img.dataEnd - img.dataStart} bytes of compressed data, but its deflate stream ends after ${end - img.dataStart}.`, { member: e.name });
  if (crc !== e.crc || size !== e.size) {
    throw corrupt(`Zip member ${shownName(e.name)} is corrupt: it decodes to ${size} bytes with CRC-32 ${hex32(crc)}, but the archive says ${e.size} bytes with CRC-32 ${hex32(e.crc)}.`, { member: e.name });
  }
}

/** Encrypted members and methods other than stored/deflate cannot be opened. */
function checkSupported(e: CentralEntry): void {
  if (e.flags & FLAG_ENCRYPTED) {
    throw new CoreError('ARCHIVE_UNSUPPORTED', `Zip member ${shownName(e.name)} is encrypted; encrypted archives are not supported.`, { member: e.name, reason: 'encrypted' });
  }
  if (e.method !== 0 && e.method !== 8) {
    throw new CoreError('ARCHIVE_UNSUPPORTED', `Zip member ${shownName(e.name)} uses compression method ${e.method}; only stored (0) and deflate (8) are supported.`, {
      member: e.name,
      reason: 'method',
    });
  }
}

function label(k: 'crc' | 'compressedSize' | 'size'): string {
  return k === 'crc' ? 'CRC-32' : k === 'size' ? 'size' : 'compressed size';
}

function show(k: 'crc' | 'compressedSize' | 'size', v: number): string {
  return k === 'crc' ? hex32(v) : `${v} bytes`;
}
