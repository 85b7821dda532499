import { CoreError } from '../../errors.ts';

/**
 * Sequential reads over a ReadableStream of compressed bytes: exact-length reads for headers,
 * zero-copy pieces for bulk data. The input is never held beyond the chunk being parsed.
 */
export class ByteReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  #chunk: Uint8Array = new Uint8Array(0);
  #ended = false;
  #consumed = 0;
  /** The last piece handed out by readSome, so its tail can be given back. */
  #last: Uint8Array = new Uint8Array(0);

  constructor(input: ReadableStream<Uint8Array>) {
    this.#reader = input.getReader();
  }

  /** Input bytes handed out so far. */
  get bytesRead(): number {
    return this.#consumed;
  }

  /** Refills the current chunk; false at the end of the input. */
  async #fill(): Promise<boolean> {
    while (this.#chunk.length === 0) {
      if (this.#ended) return false;
      const { done, value } = await this.#reader.read();
      if (done) this.#ended = true;
      else this.#chunk = value;
    }
    return true;
  }

  /** True when no byte is left. */
  async atEnd(): Promise<boolean> {
    return !(await this.#fill());
  }

  /** Up to `max` bytes (at least one), as a view; null at the end of the input. */
  async readSome(max: number): Promise<Uint8Array | null> {
    if (!(await this.#fill())) return null;
    const n = Math.min(max, this.#chunk.length);
    const out = this.#chunk.subarray(0, n);
    this.#chunk = this.#chunk.subarray(n);
    this.#consumed += n;
    this.#last = out;
    return out;
  }

  /**
   * Gives back the last `n` bytes of the latest readSome piece (a parser that read past the end of
   * its structure). Valid right after readSome: the piece and the rest of its chunk are contiguous.
   */
  unread(n: number): void {
    const last = this.#last;
    if (n <= 0) return;
    if (n > last.length) throw new Error('ByteReader.unread: more than the last piece');
    this.#chunk = new Uint8Array(last.buffer, last.byteOffset + last.length - n, n + this.#chunk.length);
    this.#last = last.subarray(0, last.length - n);
    this.#consumed -= n;
  }

  /** Exactly `length` bytes (a fresh copy when they span chunks); `what` names them in the error. */
  async readExact(length: number, what: string): Promise<Uint8Array> {
    const first = await this.readSome(length);
    if (first && first.length === length) return first;
    const out = new Uint8Array(length);
    let have = 0;
    if (first) {
      out.set(first);
      have = first.length;
    }
    while (have < length) {
      const piece = await this.readSome(length - have);
      if (!piece) throw truncated(what, this.#consumed);
      out.set(piece, have);
      have += piece.length;
    }
    return out;
  }

  async cancel(reason?: unknown): Promise<void> {
    this.#ended = true;
    this.#chunk = new Uint8Array(0);
    await this.#reader.cancel(reason).catch(() => undefined);
  }
}

export function truncated(what: string, offset: number): CoreError {
  return new CoreError('IO_TRUNCATED', `The .xz file is truncated: it ends at byte ${offset}, inside ${what}.`, { offset });
}
