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
 * The whole block is ONE buffer laid out up front; the decoded bytes are written straight into
 * their place (`write`), patched there, and the check is stored last (`finish`), so no byte is
 * copied twice and nothing else is held.
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

  /** Stores the check: `check` when the caller derived it (check-patch.ts), else computed over the data. */
  finish(check: Uint8Array | null): void {
    let digest = check;
    if (!digest) {
      const computed = createCheck(this.#checkId);
      for (let offset = 0; offset < this.size; offset += STORED_CHUNK_SIZE) {
        const p = this.#position(offset);
        computed.update(this.bytes.subarray(p, p + Math.min(STORED_CHUNK_SIZE, this.size - offset)));
      }
      digest = computed.digest();
    }
    this.bytes.set(digest, this.bytes.length - digest.length);
  }

  /** Buffer position of uncompressed byte `offset`. */
  #position(offset: number): number {
    return this.#headerLength + 3 * (Math.floor(offset / STORED_CHUNK_SIZE) + 1) + offset;
  }
}
