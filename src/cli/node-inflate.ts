import { createInflateRaw } from 'node:zlib';
import type { InflateEngine, InflateStream } from '../core/index.ts';

/**
 * zlib's output buffer: the core writes whole input chunks (engine-scanner.ts), which come back
 * as chunks of this size — the decoded head is held as chunks, and smaller ones are gathered
 * (copied) by the core.
 */
const CHUNK = 1 << 20;
/**
 * Decoded bytes waiting to be read before zlib is paused (back-pressure, engine.ts): the core may
 * write a whole input chunk of zeros — a gigabyte decoded — while it needs only the first MiB.
 */
const MAX_QUEUED = 2 * CHUNK;

/**
 * The CLI's raw-deflate engine (core deflate/engine.ts): Node's zlib, whose stream decodes each
 * write on libuv's thread pool — so it inflates an input chunk while the core's JS walk finds its
 * block boundaries. Passed to the core as `inflate` by the configure and inspect commands.
 */
export const nodeInflate: InflateEngine = {
  name: 'node-zlib',
  start: () => new NodeInflateStream(),
};

/**
 * The engine the CLI passes to the core: Node's zlib, or none (the core's pako) when the
 * environment says PREFLASH_INFLATE=pako — for comparing the two (tests, benchmarks).
 */
export function cliInflate(env: Record<string, string | undefined>): InflateEngine | undefined {
  return env.PREFLASH_INFLATE === 'pako' ? undefined : nodeInflate;
}

class NodeInflateStream implements InflateStream {
  readonly #z = createInflateRaw({ chunkSize: CHUNK });
  readonly #queue: Uint8Array[] = [];
  #queued = 0;
  /** Decoded bytes zlib has handed over so far (read or queued): how far ahead it went. */
  decoded = 0;
  #ended = false;
  #error: Error | null = null;
  #wake: (() => void) | null = null;

  constructor() {
    this.#z.on('data', (c: Buffer) => {
      // A plain Uint8Array view: Buffer's `slice` is a view, not a copy, and the core's callers
      // copy with `slice()` before changing bytes.
      this.#queue.push(new Uint8Array(c.buffer, c.byteOffset, c.length));
      this.#queued += c.length;
      this.decoded += c.length;
      // Paused, zlib stops once its own (small) buffer is full, until resumed.
      if (this.#queued >= MAX_QUEUED) this.#z.pause();
      this.#notify();
    });
    this.#z.on('end', () => {
      this.#ended = true;
      this.#notify();
    });
    this.#z.on('error', (e: Error) => {
      this.#error = e;
      this.#notify();
    });
  }

  write(input: Uint8Array, last: boolean): void {
    if (input.length > 0) this.#z.write(input);
    if (last) this.#z.end();
  }

  async read(): Promise<Uint8Array | null> {
    for (;;) {
      const c = this.#queue.shift();
      if (c) {
        this.#queued -= c.length;
        if (this.#queued < MAX_QUEUED && this.#z.isPaused()) this.#z.resume();
        return c;
      }
      if (this.#error) throw this.#error;
      if (this.#ended) return null;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  close(): void {
    // A pending read() ends (null): destroy() alone emits neither 'end' nor 'error'.
    this.#ended = true;
    this.#z.destroy();
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}
