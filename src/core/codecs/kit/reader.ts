import { throwIfAborted } from '../../errors.ts';
import type { ByteSource } from '../../io/byte-source.ts';
import { truncated } from './errors.ts';
import type { Progress } from './progress.ts';

/** Input is read in pieces at least this large: few calls into File/OPFS/fs, each one cheap to serve. */
export const READ_CHUNK = 1 << 20;

export interface SourceReaderOptions {
  signal?: AbortSignal;
  progress?: Progress;
  /** First input offset (default 0) and the offset where the reader reports end of input (default: size). */
  start?: number;
  end?: number;
}

/**
 * Sequential reading over a random-access input, for decoders that consume bytes front to back
 * (an inflater, a header parser). Positions are absolute input offsets. `unread` gives back the
 * unconsumed end of a chunk (an inflater stops mid-chunk at the end of its stream) and `seek` moves
 * anywhere: the input is a file, nothing has to be retained to go back.
 */
export class SourceReader {
  readonly source: ByteSource;
  readonly end: number;
  readonly #options: SourceReaderOptions;
  #pos: number;
  #buf: Uint8Array = new Uint8Array(0);
  #bufStart = 0;

  constructor(source: ByteSource, options: SourceReaderOptions = {}) {
    this.source = source;
    this.#options = options;
    this.#pos = options.start ?? 0;
    this.end = Math.min(options.end ?? source.size, source.size);
  }

  /** Absolute offset of the next byte `next` returns. */
  get position(): number {
    return this.#pos;
  }

  get signal(): AbortSignal | undefined {
    return this.#options.signal;
  }

  /** The next bytes at `position` (at most `max`), or null at `end`. A view: do not mutate it. */
  async next(max = Number.POSITIVE_INFINITY): Promise<Uint8Array | null> {
    throwIfAborted(this.#options.signal);
    if (this.#pos >= this.end) return null;
    const inBuf = this.#pos - this.#bufStart;
    if (inBuf < 0 || inBuf >= this.#buf.length) {
      const n = Math.min(READ_CHUNK, this.end - this.#pos);
      this.#buf = await this.source.read(this.#pos, n);
      this.#bufStart = this.#pos;
      this.#options.progress?.read(this.#pos + n);
    }
    const from = this.#pos - this.#bufStart;
    const n = Math.min(max, this.#buf.length - from);
    this.#pos += n;
    return this.#buf.subarray(from, from + n);
  }

  /** Gives back the last `rest.length` bytes returned by `next`. */
  unread(rest: Uint8Array): void {
    this.#pos -= rest.length;
  }

  seek(pos: number): void {
    this.#pos = pos;
  }

  /** Exactly `n` bytes, or ARCHIVE_CORRUPT (truncated) naming `what` when the input ends first. */
  async readExact(n: number, what: string): Promise<Uint8Array> {
    const first = await this.next(n);
    if (first && first.length === n) return first;
    const out = new Uint8Array(n);
    let have = 0;
    for (let c = first; have < n; c = await this.next(n - have)) {
      if (!c) throw truncated(what, this.#pos);
      out.set(c, have);
      have += c.length;
    }
    return out;
  }

  /** Skips `n` bytes; ARCHIVE_CORRUPT (truncated) when they are not there. */
  skip(n: number, what: string): void {
    if (this.#pos + n > this.end) throw truncated(what, this.end);
    this.#pos += n;
  }
}
