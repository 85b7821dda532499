import { throwIfAborted } from '../errors.ts';
import type { ByteSource } from './byte-source.ts';

/**
 * A ByteSource read front to back as a web stream, in `chunkSize` pieces, from `start`. Pulls one
 * chunk per `pull`, so a slow consumer paces the reads (no read-ahead beyond the queue).
 */
export function sourceStream(source: ByteSource, options: { start?: number; end?: number; chunkSize?: number; signal?: AbortSignal } = {}): ReadableStream<Uint8Array> {
  const chunkSize = options.chunkSize ?? 2 ** 20;
  const end = Math.min(options.end ?? source.size, source.size);
  let pos = options.start ?? 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        throwIfAborted(options.signal);
        if (pos >= end) {
          controller.close();
          return;
        }
        const n = Math.min(chunkSize, end - pos);
        const bytes = (await source.read(pos, n)).slice();
        pos += n;
        controller.enqueue(bytes);
      },
    },
    { highWaterMark: 0 },
  );
}
