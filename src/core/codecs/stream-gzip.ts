import { Deflate, Z_FINISH, Z_NO_FLUSH } from 'pako';

export interface GzipStreamOptions {
  /** 'native' = CompressionStream('gzip') (zlib level 6, fastest in Chromium); 'pako' = JS, any level. */
  implementation?: 'native' | 'pako';
  /** pako only: deflate level 1–9 (default 6). */
  level?: number;
}

/**
 * A gzip encoder as a transform stream: for writing .img.gz from any input (plain, zip, xz).
 * Uses the platform's CompressionStream when there is one (Node ≥ 18, Chromium, Firefox, Safari ≥ 16.4),
 * else pako. Output is a single-member gzip that `gzip -t` accepts.
 */
export function gzipStream(options: GzipStreamOptions = {}): TransformStream<Uint8Array, Uint8Array> {
  const wantNative = options.implementation !== 'pako' && options.level === undefined;
  if (wantNative && typeof CompressionStream === 'function') {
    return new CompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>;
  }
  return pakoGzipStream(options.level ?? 6);
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
