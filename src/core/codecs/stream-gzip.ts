import { Deflate, Z_FINISH, Z_NO_FLUSH } from 'pako';

export interface GzipStreamOptions {
  /** 'pako' (default) = JS, any level, real back-pressure; 'native' = CompressionStream('gzip'), zlib level 6. */
  implementation?: 'native' | 'pako';
  /** pako only: deflate level 1–9 (default 1). */
  level?: number;
}

/**
 * A gzip encoder as a transform stream: for writing .img.gz from any input (plain, zip, xz).
 * Output is a single-member gzip that `gzip -t` accepts.
 *
 * pako at level 1 is the default because memory must stay bounded whatever the image size:
 * Node's CompressionStream does not pass back-pressure to its writer (measured: 512 MiB of image
 * through it peaked at 554 MB RSS, and grows with the input), while pako inside a TransformStream
 * does (225 MB, mostly the process baseline) at about the same speed (10.5 s vs 9.1 s for
 * 512 MiB). It also makes the CLI and the browser write identical bytes.
 */
export function gzipStream(options: GzipStreamOptions = {}): TransformStream<Uint8Array, Uint8Array> {
  if (options.implementation === 'native' && typeof CompressionStream === 'function') {
    return new CompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>;
  }
  return pakoGzipStream(options.level ?? 1);
}

/** `decoded` gzip-compressed. */
export function encodeGzip(decoded: ReadableStream<Uint8Array>, options: GzipStreamOptions = {}): ReadableStream<Uint8Array> {
  return decoded.pipeThrough(gzipStream(options));
}

function pakoGzipStream(level: number): TransformStream<Uint8Array, Uint8Array> {
  const d = new Deflate({ level, gzip: true });
  let out: TransformStreamDefaultController<Uint8Array> | null = null;
  d.onData = (chunk: Uint8Array) => out?.enqueue(chunk);
  const run = (bytes: Uint8Array, flush: number, c: TransformStreamDefaultController<Uint8Array>) => {
    out = c;
    d.push(bytes, flush as 0 | 4);
    out = null;
    if (d.err) throw new Error(`gzip encoder failed: ${d.msg}`);
  };
  return new TransformStream<Uint8Array, Uint8Array>({
    transform: (chunk, c) => run(chunk, Z_NO_FLUSH, c),
    flush: (c) => run(new Uint8Array(0), Z_FINISH, c),
  });
}
