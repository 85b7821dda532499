import type { ByteSource } from '../../io/byte-source.ts';
import type { RecipeBuilder } from '../../io/recipe.ts';
import { truncated } from '../kit/errors.ts';
import { CL_ORDER } from './rfc1951.ts';

/**
 * Writes a deflate bit stream (RFC 1951 §3.1.1: bits fill bytes from the least significant end)
 * into an output recipe. The splice keeps the output's bit residue equal to the input's wherever
 * it copies, so copying is a recipe range of whole input bytes with one OR-merged byte at each
 * seam — never a bit shift, and no copied byte passes through here.
 */
export class BitWriter {
  readonly #out: RecipeBuilder;
  readonly #input: ByteSource;
  #partial = 0;
  #nbits = 0;

  constructor(out: RecipeBuilder, input: ByteSource) {
    this.#out = out;
    this.#input = input;
  }

  writeBits(value: number, n: number): void {
    for (let i = 0; i < n; i++) {
      this.#partial |= ((value >>> i) & 1) << this.#nbits;
      if (++this.#nbits === 8) this.#emitPartial();
    }
  }

  /** Whole bytes; the stream must be byte-aligned. */
  writeBytes(bytes: Uint8Array): void {
    if (this.#nbits !== 0) throw new Error('BitWriter.writeBytes needs byte alignment');
    this.#out.bytes(bytes);
  }

  /** Bits pending in the last, partial byte (the output's bit residue). */
  get residue(): number {
    return this.#nbits;
  }

  /** An empty non-final stored block: 3 header bits, padding, LEN 0000 NLEN FFFF (RFC 1951 §3.2.4). */
  alignWithStoredBlock(): void {
    this.storedHeader(false, 0);
  }

  /** A stored block's header (RFC 1951 §3.2.4): BFINAL, BTYPE 00, padding to a byte, LEN, NLEN. */
  storedHeader(final: boolean, length: number): void {
    this.writeBits(final ? 1 : 0, 3);
    if (this.#nbits > 0) this.#emitPartial();
    const n = length ^ 0xffff;
    this.writeBytes(new Uint8Array([length & 0xff, length >>> 8, n & 0xff, n >>> 8]));
  }

  /** An empty non-final fixed-Huffman block: header 0,01 and end-of-block code 0000000 (10 bits). */
  emptyFixedBlock(): void {
    this.writeBits(0b010, 3);
    this.writeBits(0, 7);
  }

  /**
   * An empty non-final dynamic-Huffman block of 95 bits (≡ 7 mod 8), the one filler that changes
   * the bit residue by an odd amount (RFC 1951 §3.2.7). Every code in it is complete, so strict
   * inflaters (Info-ZIP's too) accept it: code-length code {1, 18} each 1 bit; literal/length code
   * {0, 256} each 1 bit (255 zero lengths between them as two repeat-zero runs, 138 + 117); two
   * distance codes of 1 bit; then the end-of-block code. HCLEN names all 19 code-length codes (the
   * last four are 0) only to make the length odd.
   */
  emptyDynamicBlock(): void {
    this.writeBits(0b100, 3); // BFINAL 0, BTYPE 10
    this.writeBits(0, 5); // HLIT: 257 literal/length codes
    this.writeBits(1, 5); // HDIST: 2 distance codes
    this.writeBits(15, 4); // HCLEN: 19 code-length codes
    // Code-length code lengths, in the order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1 15.
    for (const symbol of CL_ORDER) {
      this.writeBits(symbol === 1 || symbol === 18 ? 1 : 0, 3);
    }
    // Canonical codes: symbol 1 = '0', symbol 18 = '1' (repeat a zero length 11 + 7 extra bits times).
    this.writeBits(0, 1); // literal 0: length 1
    this.writeBits(1, 1);
    this.writeBits(138 - 11, 7); // literals 1..138: 0
    this.writeBits(1, 1);
    this.writeBits(117 - 11, 7); // literals 139..255: 0
    this.writeBits(0, 1); // 256 (end of block): length 1
    this.writeBits(0, 1); // distance 0: length 1
    this.writeBits(0, 1); // distance 1: length 1
    this.writeBits(1, 1); // end of block: literal 0 = '0', 256 = '1'
  }

  /**
   * Copies input bits [fromBit, toBit) (absolute). The output residue must equal fromBit mod 8:
   * whole bytes become one recipe range; only the partial bytes at either end are read.
   */
  async copyBits(fromBit: number, toBit: number): Promise<void> {
    if (this.#nbits !== fromBit % 8) throw new Error('BitWriter.copyBits: residue mismatch');
    if (toBit <= fromBit) return;
    let pos = Math.floor(fromBit / 8);
    const endByte = Math.floor(toBit / 8);
    const endBits = toBit % 8;
    if (this.#nbits > 0) {
      const c = await this.#byteAt(pos);
      const keep = 0xff << this.#nbits;
      if (endByte === pos) {
        // The whole range lies inside this one byte.
        this.#partial |= c & keep & ((1 << endBits) - 1);
        this.#nbits = endBits;
        return;
      }
      this.#partial |= c & keep & 0xff;
      this.#nbits = 8;
      this.#emitPartial();
      pos++;
    }
    this.#out.copy(pos, endByte - pos);
    if (endBits > 0) {
      this.#partial = (await this.#byteAt(endByte)) & ((1 << endBits) - 1);
      this.#nbits = endBits;
    }
  }

  /**
   * The seam where the byte-wise copy of the original stream resumes at input bit `fromBit`
   * (residue must match; tech-notes §3.3 step 4.6): writes the first byte OR-merged with the
   * pending bits and returns the input offset the plain copy continues from.
   */
  async seam(fromBit: number): Promise<number> {
    if (this.#nbits !== fromBit % 8) throw new Error('BitWriter.seam: residue mismatch');
    const at = Math.floor(fromBit / 8);
    if (this.#nbits === 0) return at;
    const b = (this.#partial | ((await this.#byteAt(at)) & (0xff << this.#nbits))) & 0xff;
    this.#partial = 0;
    this.#nbits = 0;
    this.#out.bytes(new Uint8Array([b]));
    return at + 1;
  }

  async #byteAt(pos: number): Promise<number> {
    if (pos >= this.#input.size) throw truncated('the compressed data', pos);
    return (await this.#input.read(pos, 1))[0];
  }

  #emitPartial(): void {
    this.#out.bytes(new Uint8Array([this.#partial & 0xff]));
    this.#partial = 0;
    this.#nbits = 0;
  }
}
