import type { ByteSource } from '../../io/byte-source.ts';
import { checkRange } from '../../io/memory.ts';
import { createCheck } from './check.ts';
import { type IndexRecord, checkSize, encodeBlockHeader, padTo4 } from './format.ts';

/** §5.3.1 / liblzma: a stored LZMA2 chunk carries at most 64 KiB. */
export const STORED_CHUNK_SIZE = 1 << 16;

/** LZMA2 size of `length` bytes as stored chunks: 3-byte chunk headers plus the end marker. */
export function storedDataSize(length: number): number {
  return length + 3 * Math.ceil(length / STORED_CHUNK_SIZE) + 1;
}

/**
 * A block's uncompressed bytes re-emitted as an .xz block of stored LZMA2 chunks — no encoder
 * needed (tech-notes §3.8): control 0x01 (dictionary reset) for the first chunk, 0x02 for the rest,
 * end marker 0x00. The header states both sizes and keeps the original dictionary byte.
 *
 * The whole block is ONE buffer laid out up front (the check, last, left zero); the decoded bytes
 * are written straight into their place (`write`). The decoded image caches whole blocks in this
 * layout, so a splice writes a cached block out as it is: `patchedPieces` lays the changes over
 * copies of the chunks they touch and appends the new check, without modifying the buffer.
 */
export class StoredBlock implements ByteSource {
  readonly bytes: Uint8Array;
  /** Uncompressed length. */
  readonly size: number;
  readonly #checkId: number;
  readonly #headerLength: number;
  readonly #unpaddedSize: number;

  constructor(length: number, checkId: number, dictionaryByte: number) {
    const dataSize = storedDataSize(length);
    const header = encodeBlockHeader(dataSize, length, dictionaryByte);
    const checkLength = checkSize(checkId);
    this.size = length;
    this.#checkId = checkId;
    this.#headerLength = header.length;
    this.#unpaddedSize = header.length + dataSize + checkLength;
    this.bytes = new Uint8Array(header.length + dataSize + padTo4(header.length + dataSize) + checkLength);
    this.bytes.set(header);
    let at = header.length;
    for (let offset = 0; offset < length; offset += STORED_CHUNK_SIZE) {
      const n = Math.min(STORED_CHUNK_SIZE, length - offset);
      this.bytes[at] = offset === 0 ? 0x01 : 0x02;
      this.bytes[at + 1] = (n - 1) >>> 8;
      this.bytes[at + 2] = (n - 1) & 0xff;
      at += 3 + n;
    }
    // The end marker (0x00) and the block padding are already zero.
  }

  get record(): IndexRecord {
    return { unpaddedSize: this.#unpaddedSize, uncompressedSize: this.size };
  }

  /** Writes uncompressed bytes at `offset` into their place (across chunk headers). */
  write(offset: number, data: Uint8Array): void {
    for (let done = 0; done < data.length; ) {
      const at = offset + done;
      const n = Math.min(data.length - done, STORED_CHUNK_SIZE - (at % STORED_CHUNK_SIZE));
      this.bytes.set(data.subarray(done, done + n), this.#position(at));
      done += n;
    }
  }

  /** Uncompressed bytes [offset, offset + length) as written so far (a ByteSource, for check-patch.ts). */
  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(offset, length, this.size);
    return this.#copy(offset, length);
  }

  /** Uncompressed bytes [from, to): a view when they lie in one chunk (do not mutate it), else a copy. */
  view(from: number, to: number): Uint8Array {
    if (Math.floor(from / STORED_CHUNK_SIZE) === Math.floor((to - 1) / STORED_CHUNK_SIZE) || to <= from) {
      const p = this.#position(from);
      return this.bytes.subarray(p, p + Math.max(0, to - from));
    }
    return this.#copy(from, to - from);
  }

  /** The uncompressed bytes in order, one view per chunk (do not mutate them). */
  chunks(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let offset = 0; offset < this.size; offset += STORED_CHUNK_SIZE) out.push(this.view(offset, Math.min(this.size, offset + STORED_CHUNK_SIZE)));
    return out;
  }

  #copy(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let done = 0; done < length; ) {
      const at = offset + done;
      const n = Math.min(length - done, STORED_CHUNK_SIZE - (at % STORED_CHUNK_SIZE));
      const p = this.#position(at);
      out.set(this.bytes.subarray(p, p + n), done);
      done += n;
    }
    return out;
  }

  /**
   * The block with `changes` (block coordinates) laid over COPIES of the chunks they touch, as
   * pieces in output order: views of this block's buffer between the patched chunks, then the check
   * (`check` when the caller derived it, else computed over the patched data). This block is not
   * modified (it may be the decoded image's cache), and nothing but the touched chunks is copied.
   */
  patchedPieces(changes: readonly { offset: number; bytes: Uint8Array }[], check: Uint8Array | null): Uint8Array[] {
    const patched = new Map<number, Uint8Array>();
    for (const c of changes) {
      const from = Math.max(c.offset, 0);
      const to = Math.min(c.offset + c.bytes.length, this.size);
      for (let at = from; at < to; ) {
        const k = Math.floor(at / STORED_CHUNK_SIZE);
        const chunkStart = k * STORED_CHUNK_SIZE;
        const n = Math.min(to, chunkStart + STORED_CHUNK_SIZE) - at;
        let copy = patched.get(k);
        if (!copy) {
          const p = this.#position(chunkStart) - 3;
          copy = this.bytes.slice(p, p + 3 + Math.min(STORED_CHUNK_SIZE, this.size - chunkStart));
          patched.set(k, copy);
        }
        copy.set(c.bytes.subarray(at - c.offset, at - c.offset + n), 3 + at - chunkStart);
        at += n;
      }
    }
    const checkLength = checkSize(this.#checkId);
    let digest = check;
    if (!digest) {
      const computed = createCheck(this.#checkId);
      for (let offset = 0; offset < this.size; offset += STORED_CHUNK_SIZE) {
        const copy = patched.get(offset / STORED_CHUNK_SIZE);
        computed.update(copy ? copy.subarray(3) : this.view(offset, Math.min(this.size, offset + STORED_CHUNK_SIZE)));
      }
      digest = computed.digest();
    }
    const pieces: Uint8Array[] = [];
    let pos = 0;
    for (const k of [...patched.keys()].sort((a, b) => a - b)) {
      const copy = patched.get(k)!;
      const p = this.#position(k * STORED_CHUNK_SIZE) - 3;
      if (p > pos) pieces.push(this.bytes.subarray(pos, p));
      pieces.push(copy);
      pos = p + copy.length;
    }
    pieces.push(this.bytes.subarray(pos, this.bytes.length - checkLength), digest);
    return pieces;
  }

  /** Buffer position of uncompressed byte `offset`. */
  #position(offset: number): number {
    return this.#headerLength + 3 * (Math.floor(offset / STORED_CHUNK_SIZE) + 1) + offset;
  }
}
