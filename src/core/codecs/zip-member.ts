import { CoreError } from '../errors.ts';
import { crc32 } from '../bytes/crc32.ts';
import { BlockScanner } from './deflate/block-scanner.ts';
import type { InputReader } from './stream-reader.ts';
import { FLAG_DESCRIPTOR, FLAG_ENCRYPTED, readDescriptor, type DataDescriptor, type LocalHeader } from './zip-records.ts';

const STORED_PIECE = 1 << 20;

/**
 * The data of one zip member, decoded front to back (method 8 through a BlockScanner, method 0
 * read as is). When the data ends, the data descriptor (if any) is read and the CRC-32 and size
 * are checked against it or the local header: ARCHIVE_CORRUPT on mismatch.
 */
export class ZipMemberData {
  readonly header: LocalHeader;
  readonly dataStart: number;
  readonly scanner: BlockScanner | null;
  readonly #reader: InputReader;
  #storedLeft: number;
  #storedCrc = 0;
  #decoded = 0;
  #ended = false;
  /** Input offset just past the compressed data (once ended). */
  dataEnd = -1;
  descriptor: DataDescriptor | null = null;

  constructor(reader: InputReader, header: LocalHeader) {
    checkSupported(header);
    this.#reader = reader;
    this.header = header;
    this.dataStart = reader.position;
    this.scanner = header.method === 8 ? new BlockScanner(reader, `zip member ${header.name}`) : null;
    this.#storedLeft = header.compressedSize;
  }

  get ended(): boolean {
    return this.#ended;
  }

  get decoded(): number {
    return this.#decoded;
  }

  get hasDescriptor(): boolean {
    return (this.header.flags & FLAG_DESCRIPTOR) !== 0;
  }

  /** The next decoded chunk, or null after the end (which has then been checked). */
  async pull(): Promise<Uint8Array | null> {
    if (this.#ended) return null;
    let chunk: Uint8Array | null;
    if (this.scanner) {
      chunk = await this.scanner.pull();
      this.#decoded = this.scanner.decoded;
      if (this.scanner.ended) await this.#finish(this.scanner.crc);
    } else {
      const c = this.#storedLeft > 0 ? await this.#reader.next(Math.min(this.#storedLeft, STORED_PIECE)) : new Uint8Array(0);
      if (!c) throw new CoreError('ARCHIVE_CORRUPT', `The zip file ends inside member ${this.header.name}: it is truncated.`, { reason: 'truncated' });
      chunk = c.slice();
      this.#storedLeft -= c.length;
      this.#storedCrc = crc32(chunk, this.#storedCrc);
      this.#decoded += chunk.length;
      if (this.#storedLeft === 0) await this.#finish(this.#storedCrc);
    }
    return chunk && chunk.length > 0 ? chunk : this.#ended ? null : new Uint8Array(0);
  }

  async #finish(crc: number): Promise<void> {
    this.#ended = true;
    this.dataEnd = this.#reader.position;
    const h = this.header;
    let expectCrc = h.crc;
    let expectSize = h.size;
    if (this.hasDescriptor) {
      this.descriptor = await readDescriptor(this.#reader, this.dataEnd - this.dataStart, h.zip64 !== undefined);
      expectCrc = this.descriptor.crc;
      expectSize = this.descriptor.size;
    } else if (this.dataEnd - this.dataStart !== h.compressedSize) {
      throw new CoreError('ARCHIVE_CORRUPT', `Zip member ${h.name} has ${this.dataEnd - this.dataStart} bytes of compressed data, but its header says ${h.compressedSize}.`);
    }
    const size = this.#decoded;
    if (crc !== expectCrc || size !== expectSize) {
      throw new CoreError(
        'ARCHIVE_CORRUPT',
        `Zip member ${h.name} is corrupt: it decodes to ${size} bytes with CRC-32 ${hex(crc)}, but the archive says ${expectSize} bytes with CRC-32 ${hex(expectCrc)}.`,
        { member: h.name },
      );
    }
  }
}

/** Encrypted members and methods other than stored/deflate cannot be opened. */
export function checkSupported(h: LocalHeader): void {
  if (h.flags & FLAG_ENCRYPTED) {
    throw new CoreError('ARCHIVE_UNSUPPORTED', `Zip member ${h.name} is encrypted; encrypted archives are not supported.`, { member: h.name, reason: 'encrypted' });
  }
  if (h.method !== 0 && h.method !== 8) {
    throw new CoreError('ARCHIVE_UNSUPPORTED', `Zip member ${h.name} uses compression method ${h.method}; only stored (0) and deflate (8) are supported.`, {
      member: h.name,
      reason: 'method',
    });
  }
  if (h.method === 0 && h.flags & FLAG_DESCRIPTOR) {
    throw new CoreError('ARCHIVE_UNSUPPORTED', `Zip member ${h.name} is stored with a data descriptor, so its length is unknown in a stream; this is not supported.`, {
      member: h.name,
      reason: 'stored-descriptor',
    });
  }
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}
