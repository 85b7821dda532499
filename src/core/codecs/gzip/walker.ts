import type { DeflateScanner, InflateEngine } from '../deflate/engine.ts';
import { openScanner } from '../deflate/open-scanner.ts';
import { corrupt, hex32 } from '../kit/errors.ts';
import type { SourceReader } from '../kit/reader.ts';
import { GZIP_MAGIC, parseGzipTrailer, readGzipHeader, type GzipHeader } from './header.ts';

/** One gzip member (RFC 1952 §2.2) as far as it has been decoded. */
export interface GzipMember {
  header: GzipHeader;
  /** Image offset of the member's first decoded byte. */
  uStart: number;
  scanner: DeflateScanner;
  /** Set once the member's trailer has been read (and checked). */
  trailer?: GzipTrailer;
}

export interface GzipTrailer {
  /** Input offset of the 8-byte trailer. */
  at: number;
  crc: number;
  isize: number;
}

const TWO32 = 2 ** 32;

export interface WalkerOptions {
  /**
   * false: keep only the current member (a verifying pass over a many-member file). The default
   * (true) is for a DecodedHead's walker, which keeps every chunk: CRCs are then computed only at
   * a member's end.
   */
  keepMembers?: boolean;
  /** Called when a member's trailer has been read and checked. */
  onMemberEnd?: (m: GzipMember) => void;
  /** The host's raw-deflate engine (deflate/engine.ts); pako without one. */
  engine?: InflateEngine;
}

/**
 * Walks a (possibly multi-member) gzip input front to back, decoding one chunk per `step`. Every
 * member that ends is checked against its trailer (CRC-32 and ISIZE), so whatever the walker
 * decodes is verified. Bytes after the last member that are not a gzip header are "trailing
 * garbage" (as gzip calls it): never decoded, kept verbatim by a splice.
 */
export class GzipWalker {
  readonly members: GzipMember[] = [];
  readonly #reader: SourceReader;
  readonly #options: WalkerOptions;
  #done = false;
  #decoded = 0;
  #count = 0;
  /** Input offset where non-gzip trailing bytes start, if any. */
  trailingAt: number | null = null;

  constructor(reader: SourceReader, options: WalkerOptions = {}) {
    this.#reader = reader;
    this.#options = options;
  }

  get done(): boolean {
    return this.#done;
  }

  /** Decoded image bytes so far, over all members. */
  get decoded(): number {
    return this.#decoded;
  }

  /** Members opened so far (also those no longer kept). */
  get memberCount(): number {
    return this.#count;
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
    const what = this.#count === 0 ? 'the gzip data' : `gzip member ${this.#count + 1}`;
    this.#count++;
    if (this.#options.keepMembers === false) this.members.length = 0;
    this.members.push({ header, uStart: this.#decoded, scanner: openScanner(this.#reader, what, { deferCrc: this.#options.keepMembers !== false, engine: this.#options.engine }) });
  }

  async #closeMember(m: GzipMember): Promise<void> {
    const r = this.#reader;
    const at = r.position;
    const t = parseGzipTrailer(await r.readExact(8, 'a gzip trailer'));
    m.trailer = { at, ...t };
    const size = m.scanner.decoded;
    if (t.crc !== m.scanner.crc || t.isize !== size % TWO32) {
      throw corrupt(
        `The gzip data is corrupt: member ${this.#count} decodes to ${size} bytes with CRC-32 ${hex32(m.scanner.crc)}, but its trailer says ${t.isize} bytes (mod 2^32) with CRC-32 ${hex32(t.crc)}.`,
        { member: this.#count, offset: at },
      );
    }
    this.#options.onMemberEnd?.(m);
    const next = r.position;
    if (next + 2 <= r.end) {
      const two = await r.readExact(2, 'a gzip header');
      r.seek(next);
      if (two[0] === GZIP_MAGIC[0] && two[1] === GZIP_MAGIC[1]) return this.#openMember();
    }
    if (next < r.end) this.trailingAt = next;
    this.#done = true;
  }
}
