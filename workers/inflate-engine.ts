import type { InflateEngine, InflateStream } from '#core/index.ts';

/**
 * The image worker's raw-deflate engine (core deflate/engine.ts): the browser's native
 * `DecompressionStream('deflate-raw')`. Feature-detected: null where it is missing (or lacks
 * 'deflate-raw'), and the core then inflates with pako. Passed to the core as `inflate` by
 * handle.ts.
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
