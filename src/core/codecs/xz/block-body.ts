import type { ByteReader } from './byte-reader.ts';
import { truncated } from './byte-reader.ts';
import { Lzma2Walker } from './lzma2-walker.ts';
import { type BlockHeader, type IndexRecord, checkSize, corrupt, padTo4 } from './format.ts';

export type BlockPieceKind = 'header' | 'data' | 'padding' | 'check';

/** A run of a block's bytes as found in the input, in order. */
export interface BlockPiece {
  kind: BlockPieceKind;
  bytes: Uint8Array;
}

/** Larger pieces only cost memory; smaller ones cost calls. */
const PIECE_SIZE = 1 << 20;

/**
 * One block (xz-file-format §3) read from the input piece by piece: its header, its compressed
 * data (the end found by the header's Compressed Size or, when absent, by walking LZMA2 chunks),
 * the block padding and the check. Whoever holds it decides what to do with the bytes: feed a
 * decoder, copy them to the output, or keep them.
 */
export class BlockBody {
  /** 1-based, counted over the whole file, as `xz --list` numbers blocks. */
  readonly number: number;
  readonly header: BlockHeader;
  readonly checkId: number;
  /** Streams counted from 1. */
  readonly stream: number;
  /** Offset of the block's first byte in the decoded image. */
  readonly uncompressedStart: number;
  readonly #reader: ByteReader;
  readonly #walker: Lzma2Walker;
  #stage: BlockPieceKind | 'end' = 'header';
  #check: Uint8Array = new Uint8Array(0);

  constructor(reader: ByteReader, header: BlockHeader, number: number, stream: number, checkId: number, uncompressedStart: number) {
    this.#reader = reader;
    this.header = header;
    this.number = number;
    this.stream = stream;
    this.checkId = checkId;
    this.uncompressedStart = uncompressedStart;
    this.#walker = new Lzma2Walker(number);
  }

  get ended(): boolean {
    return this.#stage === 'end';
  }

  /** Uncompressed size: from the header, else known once the data has been read. */
  get uncompressedSize(): number | undefined {
    return this.header.uncompressedSize ?? (this.#walker.done ? this.#walker.uncompressedSize : undefined);
  }

  /** §4.3.1: header + compressed data + check, without block padding. Known once ended. */
  get record(): IndexRecord {
    return {
      unpaddedSize: this.header.bytes.length + this.#walker.compressedSize + checkSize(this.checkId),
      uncompressedSize: this.#walker.uncompressedSize,
    };
  }

  /** The check field read from the input (once the block has ended). */
  get check(): Uint8Array {
    return this.#check;
  }

  /** The next piece, or null after the check. */
  async next(): Promise<BlockPiece | null> {
    switch (this.#stage) {
      case 'header':
        this.#stage = 'data';
        return { kind: 'header', bytes: this.header.bytes };
      case 'data': {
        const data = await this.#nextData();
        if (data) return { kind: 'data', bytes: data };
        this.#endData();
        this.#stage = 'padding';
        const pad = padTo4(this.header.bytes.length + this.#walker.compressedSize);
        const padding = await this.#reader.readExact(pad, `the padding of block ${this.number}`);
        if (padding.some((b) => b !== 0)) throw corrupt(`The .xz block ${this.number} is corrupt: its padding is not zero.`, { block: this.number });
        if (pad > 0) return { kind: 'padding', bytes: padding };
        return this.next();
      }
      case 'padding': {
        this.#stage = 'check';
        const size = checkSize(this.checkId);
        this.#check = await this.#reader.readExact(size, `the check of block ${this.number}`);
        if (size > 0) return { kind: 'check', bytes: this.#check };
        return this.next();
      }
      default:
        this.#stage = 'end';
        return null;
    }
  }

  async #nextData(): Promise<Uint8Array | null> {
    if (this.#walker.done) return null;
    const known = this.header.compressedSize;
    const max = known === undefined ? PIECE_SIZE : Math.min(PIECE_SIZE, known - this.#walker.compressedSize);
    if (max === 0) throw this.#sizeMismatch('compressed');
    const piece = await this.#reader.readSome(max);
    if (!piece) throw truncated(`the data of block ${this.number}`, this.#reader.bytesRead);
    const used = this.#walker.feed(piece);
    if (used < piece.length) this.#reader.unread(piece.length - used);
    return piece.subarray(0, used);
  }

  #endData(): void {
    const { compressedSize, uncompressedSize } = this.header;
    if (compressedSize !== undefined && compressedSize !== this.#walker.compressedSize) throw this.#sizeMismatch('compressed');
    if (uncompressedSize !== undefined && uncompressedSize !== this.#walker.uncompressedSize) throw this.#sizeMismatch('uncompressed');
  }

  #sizeMismatch(which: string): Error {
    return corrupt(`The .xz block ${this.number} is corrupt: its ${which} size does not match its header.`, { block: this.number });
  }
}
