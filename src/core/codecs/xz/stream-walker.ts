import { BlockBody } from './block-body.ts';
import type { ByteReader } from './byte-reader.ts';
import {
  type IndexRecord,
  STREAM_HEADER_SIZE,
  blockHeaderSize,
  corrupt,
  decodeVli,
  indexCrcMatches,
  parseBlockHeader,
  parseStreamFooter,
  parseStreamHeader,
  STREAM_MAGIC,
} from './format.ts';

/** What the input holds next, in file order. Blocks must be read to their end before `next()`. */
export type XzItem =
  | { kind: 'stream-header'; stream: number; checkId: number; bytes: Uint8Array }
  | { kind: 'block'; block: BlockBody }
  | { kind: 'stream-end'; stream: number; checkId: number; records: IndexRecord[] }
  | { kind: 'padding'; bytes: Uint8Array }
  | { kind: 'end' };

/**
 * Walks the .xz container (xz-file-format §2): stream header, blocks, index, footer, stream
 * padding, further streams. It verifies everything that is cheap — header/footer/index CRC32s,
 * index records against the blocks actually seen, backward size — so a copied block is still
 * cross-checked even when it is never decoded.
 */
export class StreamWalker {
  readonly #reader: ByteReader;
  #stream = 0;
  #checkId = 0;
  #blocks = 0;
  #uncompressed = 0;
  #records: IndexRecord[] = [];
  #current: BlockBody | null = null;
  #state: 'start' | 'blocks' | 'after-stream' | 'end' = 'start';
  #pendingHeader: Uint8Array | null = null;

  constructor(reader: ByteReader) {
    this.#reader = reader;
  }

  /** Decoded bytes before the next block. */
  get uncompressedOffset(): number {
    return this.#uncompressed;
  }

  async next(): Promise<XzItem> {
    const current = this.#current;
    if (current) {
      if (!current.ended) throw new Error('StreamWalker.next: the previous block was not read to its end');
      this.#records.push(current.record);
      this.#uncompressed += current.record.uncompressedSize;
      this.#current = null;
    }
    switch (this.#state) {
      case 'start':
        return this.#streamHeader(await this.#reader.readExact(STREAM_HEADER_SIZE, 'the stream header'));
      case 'blocks':
        return this.#blockOrIndex();
      case 'after-stream':
        return this.#afterStream();
      default:
        return { kind: 'end' };
    }
  }

  #streamHeader(bytes: Uint8Array): XzItem {
    this.#checkId = parseStreamHeader(bytes);
    this.#stream++;
    this.#records = [];
    this.#state = 'blocks';
    return { kind: 'stream-header', stream: this.#stream, checkId: this.#checkId, bytes };
  }

  async #blockOrIndex(): Promise<XzItem> {
    const first = await this.#reader.readExact(1, 'a block header or the index');
    if (first[0] === 0x00) return this.#index();
    const size = blockHeaderSize(first[0]);
    const bytes = new Uint8Array(size);
    bytes[0] = first[0];
    bytes.set(await this.#reader.readExact(size - 1, `the header of block ${this.#blocks + 1}`), 1);
    this.#blocks++;
    const header = parseBlockHeader(bytes, this.#blocks);
    this.#current = new BlockBody(this.#reader, header, this.#blocks, this.#stream, this.#checkId, this.#uncompressed);
    return { kind: 'block', block: this.#current };
  }

  /** §4 Index (its indicator byte already read), then §2.1.2 Stream Footer. */
  async #index(): Promise<XzItem> {
    const bytes: number[] = [0x00];
    const vli = async (): Promise<number> => {
      const start = bytes.length;
      for (;;) {
        const b = (await this.#reader.readExact(1, 'the index'))[0];
        bytes.push(b);
        if ((b & 0x80) === 0) break;
        if (bytes.length - start >= 9) throw corrupt('The .xz index is corrupt: an integer is longer than 9 bytes.');
      }
      return decodeVli(Uint8Array.from(bytes.slice(start)), 0)![0];
    };
    const count = await vli();
    if (count !== this.#records.length) {
      throw corrupt(`The .xz index of stream ${this.#stream} lists ${count} blocks, but the stream holds ${this.#records.length}.`);
    }
    for (let i = 0; i < count; i++) {
      const unpaddedSize = await vli();
      const uncompressedSize = await vli();
      const seen = this.#records[i];
      if (seen.unpaddedSize !== unpaddedSize || seen.uncompressedSize !== uncompressedSize) {
        throw corrupt(`The .xz index does not match block ${this.#blocks - count + i + 1}: the index or the block is corrupt.`, { block: this.#blocks - count + i + 1 });
      }
    }
    const padding = (4 - ((bytes.length + 4) % 4)) % 4;
    for (let i = 0; i < padding + 4; i++) bytes.push((await this.#reader.readExact(1, 'the index'))[0]);
    const index = Uint8Array.from(bytes);
    if (index.subarray(index.length - 4 - padding, index.length - 4).some((b) => b !== 0)) throw corrupt('The .xz index is corrupt: its padding is not zero.');
    if (!indexCrcMatches(index)) throw corrupt(`The .xz index of stream ${this.#stream} is corrupt: its CRC32 does not match.`);
    const footer = await this.#reader.readExact(STREAM_HEADER_SIZE, 'the stream footer');
    if (parseStreamFooter(footer, this.#checkId) !== index.length) {
      throw corrupt('The .xz stream footer is corrupt: its backward size does not match the index.');
    }
    this.#state = 'after-stream';
    return { kind: 'stream-end', stream: this.#stream, checkId: this.#checkId, records: this.#records };
  }

  /** §2.2 Stream Padding (multiples of four zero bytes), another stream, or the end. */
  async #afterStream(): Promise<XzItem> {
    if (this.#pendingHeader) {
      const header = this.#pendingHeader;
      this.#pendingHeader = null;
      return this.#streamHeader(header);
    }
    let length = 0;
    while (!(await this.#reader.atEnd())) {
      const group = await this.#reader.readExact(4, 'stream padding');
      if (group.every((b) => b === 0)) {
        length += 4;
        continue;
      }
      const rest = await this.#reader.readExact(STREAM_HEADER_SIZE - 4, 'a stream header');
      const header = new Uint8Array(STREAM_HEADER_SIZE);
      header.set(group);
      header.set(rest, 4);
      if (!header.subarray(0, 6).every((b, i) => b === STREAM_MAGIC[i])) {
        throw corrupt('The .xz file holds unexpected bytes after the end of its stream.');
      }
      if (length === 0) return this.#streamHeader(header);
      this.#pendingHeader = header;
      return { kind: 'padding', bytes: new Uint8Array(length) };
    }
    this.#state = 'end';
    if (length > 0) return { kind: 'padding', bytes: new Uint8Array(length) };
    return { kind: 'end' };
  }
}
