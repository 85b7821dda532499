import { corrupt } from '../kit/errors.ts';

/**
 * Follows LZMA2 chunk headers without decoding them (xz-file-format §5.3.1; chunk layout from
 * liblzma lzma2_decoder.c): every chunk states its sizes up front, so the end of a block's
 * compressed data and its uncompressed size are found by skipping, at memory speed. This is what
 * lets a block without sizes in its header be copied, and what cross-checks the header and index.
 *
 * Control byte: 0x00 end · 0x01 stored chunk with dictionary reset · 0x02 stored chunk ·
 * 0x80–0xFF LZMA chunk (bits 0–4 = bits 16–20 of unpacked size − 1; bits 5–6 = reset level,
 * ≥ 2 adds a properties byte) · 0x03–0x7F invalid.
 */
export class Lzma2Walker {
  /** Uncompressed bytes announced by the chunks walked so far. */
  uncompressedSize = 0;
  /** Compressed bytes walked so far (including the end marker once seen). */
  compressedSize = 0;
  done = false;
  readonly #block: number;
  /** Header bytes still expected for the current chunk, and the bytes gathered. */
  #header: number[] = [];
  #headerLength = 0;
  /** Payload bytes of the current chunk still to skip. */
  #skip = 0;

  constructor(blockNumber: number) {
    this.#block = blockNumber;
  }

  /** Walks `bytes`; returns how many of them belong to the LZMA2 data (all, unless it ends inside). */
  feed(bytes: Uint8Array): number {
    let at = 0;
    while (at < bytes.length && !this.done) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, bytes.length - at);
        this.#skip -= n;
        at += n;
        continue;
      }
      const b = bytes[at++];
      if (this.#headerLength === 0) this.#startChunk(b);
      else {
        this.#header.push(b);
        if (this.#header.length === this.#headerLength) this.#endHeader();
      }
    }
    this.compressedSize += at;
    return at;
  }

  #startChunk(control: number): void {
    this.#header = [control];
    if (control === 0x00) {
      this.done = true;
      return;
    }
    if (control === 0x01 || control === 0x02) this.#headerLength = 3;
    else if (control >= 0x80) this.#headerLength = control >= 0xc0 ? 6 : 5;
    else throw corrupt(`The .xz block ${this.#block} is corrupt: its LZMA2 data holds an invalid chunk (control byte 0x${control.toString(16)}).`, { block: this.#block });
  }

  #endHeader(): void {
    const h = this.#header;
    if (h[0] < 0x80) {
      const size = ((h[1] << 8) | h[2]) + 1;
      this.uncompressedSize += size;
      this.#skip = size;
    } else {
      this.uncompressedSize += ((h[0] & 0x1f) << 16) + ((h[1] << 8) | h[2]) + 1;
      this.#skip = ((h[3] << 8) | h[4]) + 1;
    }
    this.#headerLength = 0;
  }
}
