import { crc32 } from '../../bytes/crc32.ts';

/**
 * The CRC-32 (RFC 1952 §8) of a deflate stream's decoded bytes, as both scanners keep it. With
 * `defer`, the caller keeps every chunk it adds unchanged (a DecodedHead does) and the CRC is
 * computed only when asked for — at a member's end — so a splice that never reaches the end of
 * the stream never pays for it.
 */
export class StreamCrc {
  #crc = 0;
  /** Chunks not yet folded into #crc (only when deferred). */
  readonly #pending: Uint8Array[] | null;

  constructor(defer: boolean) {
    this.#pending = defer ? [] : null;
  }

  add(chunk: Uint8Array): void {
    if (this.#pending) this.#pending.push(chunk);
    else this.#crc = crc32(chunk, this.#crc);
  }

  get value(): number {
    if (this.#pending) {
      for (const c of this.#pending) this.#crc = crc32(c, this.#crc);
      this.#pending.length = 0;
    }
    return this.#crc;
  }
}
