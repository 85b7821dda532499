import { CoreError } from '../errors.ts';
import { BlockScanner } from './deflate/block-scanner.ts';
import { GZIP_MAGIC, parseGzipTrailer, readGzipHeader, type GzipHeader } from './gzip-header.ts';
import type { InputReader } from './stream-reader.ts';

/** One gzip member (RFC 1952 §2.2) as far as it has been decoded. */
export interface GzipMember {
  header: GzipHeader;
  /** Image offset of the member's first decoded byte. */
  uStart: number;
  scanner: BlockScanner;
  /** Set once the member's trailer has been read (and checked). */
  trailer?: { at: number; crc: number; isize: number };
}

const TWO32 = 2 ** 32;

/**
 * Walks a (possibly multi-member) gzip stream front to back, decoding one chunk per `step`.
 * Every member that ends is checked against its trailer (CRC-32 and ISIZE), so corrupt input that
 * the walker decodes is always reported. Bytes after the last member that are not a gzip header
 * are "trailing garbage" (as gzip calls it): kept verbatim in spliced output, never decoded.
 */
export class GzipWalker {
  readonly members: GzipMember[] = [];
  readonly #reader: InputReader;
  #done = false;
  #decoded = 0;
  /** Input offset where non-gzip trailing bytes start, if any. */
  trailingAt: number | null = null;

  constructor(reader: InputReader) {
    this.#reader = reader;
  }

  get done(): boolean {
    return this.#done;
  }

  /** Decoded image bytes so far, over all members. */
  get decoded(): number {
    return this.#decoded;
  }

  get current(): GzipMember {
    return this.members[this.members.length - 1];
  }

  async start(): Promise<void> {
    await this.#openMember();
  }

  /** The member holding image byte `pos` (or the last one). */
  memberAt(pos: number): GzipMember {
    let i = this.members.length - 1;
    while (i > 0 && this.members[i].uStart > pos) i--;
    return this.members[i];
  }

  /** The next decoded chunk, or null at the end of the input. */
  async step(): Promise<Uint8Array | null> {
    while (!this.#done) {
      const m = this.current;
      const chunk = await m.scanner.pull();
      if (chunk) this.#decoded += chunk.length;
      if (m.scanner.ended) await this.#closeMember(m);
      if (chunk && chunk.length > 0) return chunk;
    }
    return null;
  }

  async #openMember(): Promise<void> {
    const header = await readGzipHeader(this.#reader);
    const what = this.members.length === 0 ? 'the gzip data' : `gzip member ${this.members.length + 1}`;
    this.members.push({ header, uStart: this.#decoded, scanner: new BlockScanner(this.#reader, what) });
  }

  async #closeMember(m: GzipMember): Promise<void> {
    const at = this.#reader.position;
    const t = parseGzipTrailer(await this.#reader.readExact(8, 'a gzip trailer'));
    m.trailer = { at, ...t };
    const size = m.scanner.decoded;
    if (t.crc !== m.scanner.crc || t.isize !== size % TWO32) {
      throw new CoreError(
        'ARCHIVE_CORRUPT',
        `The gzip data is corrupt: member ${this.members.length} decodes to ${size} bytes with CRC-32 ${hex(m.scanner.crc)}, but its trailer says ${t.isize} bytes (mod 2^32) with CRC-32 ${hex(t.crc)}.`,
        { member: this.members.length, offset: at },
      );
    }
    const next = await this.#reader.next(2);
    if (!next) {
      this.#done = true;
      return;
    }
    let two = next;
    if (two.length < 2) {
      const more = await this.#reader.next(1);
      two = more ? new Uint8Array([next[0], more[0]]) : next;
      this.#reader.unread(more ?? new Uint8Array(0));
    }
    this.#reader.unread(next);
    if (two[0] === GZIP_MAGIC[0] && two[1] === GZIP_MAGIC[1]) await this.#openMember();
    else {
      this.trailingAt = this.#reader.position;
      this.#done = true;
    }
  }
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}
