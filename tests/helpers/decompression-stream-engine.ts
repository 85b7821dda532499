import type { InflateEngine, InflateStream } from '../../src/core/index.ts';

/**
 * A second raw-deflate engine (core deflate/engine.ts) for the contract tests: the web platform's
 * `DecompressionStream('deflate-raw')` (Node has it too), which hands back small chunks on its own
 * schedule — unlike Node's zlib. It was the image worker's engine for a while and is not any more:
 * in Chromium, on the worker's one thread, the JS boundary walk + this engine was slower than pako
 * for a splice's head (0.45 s against 0.31 s per warm configure) and for a full decode of the
 * 1 GiB bench image (21.2 s against 13.1 s), `npm run bench -- browser`, 2026-11-30.
 */
export function streamInflate(): InflateEngine | null {
  if (typeof DecompressionStream !== 'function') return null;
  try {
    new DecompressionStream('deflate-raw');
  } catch {
    return null;
  }
  return { name: 'decompression-stream', start: () => new StreamInflate() };
}

class StreamInflate implements InflateStream {
  readonly #writer: WritableStreamDefaultWriter<BufferSource>;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor() {
    const ds = new DecompressionStream('deflate-raw');
    this.#writer = ds.writable.getWriter();
    this.#reader = ds.readable.getReader();
  }

  write(input: Uint8Array, last: boolean): void {
    // Failures surface through read(); the writes' own promises are not awaited (no back-pressure
    // wait: the caller keeps at most a bounded amount in flight).
    if (input.length > 0) this.#writer.write(input as Uint8Array<ArrayBuffer>).catch(() => {});
    if (last) this.#writer.close().catch(() => {});
  }

  async read(): Promise<Uint8Array | null> {
    const r = await this.#reader.read();
    return r.done ? null : r.value;
  }

  close(): void {
    this.#reader.cancel().catch(() => {});
    this.#writer.abort().catch(() => {});
  }
}
