import type { ChunkSink } from '../stream-output.ts';
import type { InputReader } from '../stream-reader.ts';
import { truncated } from '../stream-reader.ts';

/**
 * Writes a deflate bit stream (RFC 1951 §3.1.1: bits fill bytes from the least significant end)
 * to a byte sink. The splice keeps the output's bit residue equal to the input's wherever it
 * copies, so copying is byte-wise with one OR-merged byte at each seam — never a bit shift.
 */
export class BitWriter {
  readonly #sink: ChunkSink;
  #partial = 0;
  #nbits = 0;
  #bytes = 0;

  constructor(sink: ChunkSink) {
    this.#sink = sink;
  }

  /** Bits written so far (complete bytes plus the pending partial byte). */
  get bitPosition(): number {
    return this.#bytes * 8 + this.#nbits;
  }

  async writeBits(value: number, n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      this.#partial |= ((value >>> i) & 1) << this.#nbits;
      if (++this.#nbits === 8) await this.#emitPartial();
    }
  }

  /** Whole bytes; the stream must be byte-aligned. */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    if (this.#nbits !== 0) throw new Error('BitWriter.writeBytes needs byte alignment');
    this.#bytes += bytes.length;
    await this.#sink.write(bytes);
  }

  /** An empty non-final stored block: 3 header bits, padding, LEN 0000 NLEN FFFF (RFC 1951 §3.2.4). */
  async alignWithStoredBlock(): Promise<void> {
    await this.writeBits(0, 3);
    if (this.#nbits > 0) await this.#emitPartial();
    await this.writeBytes(new Uint8Array([0, 0, 0xff, 0xff]));
  }

  /** An empty non-final fixed-Huffman block: header 0,01 and end-of-block code 0000000 (10 bits). */
  async emptyFixedBlock(): Promise<void> {
    await this.writeBits(0b010, 3);
    await this.writeBits(0, 7);
  }

  /**
   * Copies input bits [fromBit, toBit) (absolute) from the reader, positioned at or before the
   * byte holding `fromBit`. The output residue must equal fromBit mod 8. Leaves the reader at the
   * byte holding `toBit` (that byte is re-read by the next copy).
   */
  async copyBits(reader: InputReader, fromBit: number, toBit: number): Promise<void> {
    if (this.#nbits !== fromBit % 8) throw new Error('BitWriter.copyBits: residue mismatch');
    if (toBit <= fromBit) return;
    let pos = Math.floor(fromBit / 8);
    const endByte = Math.floor(toBit / 8);
    const endBits = toBit % 8;
    reader.seek(pos);
    if (this.#nbits > 0) {
      const c = await reader.readExact(1, 'the compressed data');
      const keep = 0xff << this.#nbits;
      if (endByte === pos) {
        // The whole range lies inside this one byte.
        const mask = keep & ((1 << endBits) - 1);
        this.#partial |= c[0] & mask;
        this.#nbits = endBits;
        reader.seek(pos);
        return;
      }
      this.#partial |= c[0] & keep & 0xff;
      this.#nbits = 8;
      await this.#emitPartial();
      pos++;
    }
    while (pos < endByte) {
      const c = await reader.next(endByte - pos);
      if (!c) throw truncated('the compressed data', pos);
      await this.writeBytes(c.slice());
      pos += c.length;
    }
    if (endBits > 0) {
      const c = await reader.readExact(1, 'the compressed data');
      this.#partial = c[0] & ((1 << endBits) - 1);
      this.#nbits = endBits;
      reader.seek(pos);
    }
  }

  /**
   * Starts the byte-wise tail copy at input bit `fromBit` (residue must match): returns the first
   * byte to write, OR-merged with the pending bits, or null when the seam is byte-aligned.
   */
  mergeSeam(firstByte: number, fromBit: number): Uint8Array | null {
    if (this.#nbits !== fromBit % 8) throw new Error('BitWriter.mergeSeam: residue mismatch');
    if (this.#nbits === 0) return null;
    const b = (this.#partial | (firstByte & (0xff << this.#nbits))) & 0xff;
    this.#partial = 0;
    this.#nbits = 0;
    this.#bytes++;
    return new Uint8Array([b]);
  }

  /** Pads the pending partial byte with zero bits (after a final block). */
  async finish(): Promise<void> {
    if (this.#nbits > 0) await this.#emitPartial();
  }

  async #emitPartial(): Promise<void> {
    const b = new Uint8Array([this.#partial & 0xff]);
    this.#partial = 0;
    this.#nbits = 0;
    this.#bytes++;
    await this.#sink.write(b);
  }
}
