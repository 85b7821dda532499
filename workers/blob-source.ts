/**
 * A File/Blob as the core's random-access ByteSource. Each read from the browser is one
 * `slice().arrayBuffer()` — a round trip to the browser process that costs ~1 ms for 8 bytes and
 * ~10–20 ms for 1 MiB (Chromium 156, measured in a worker), paid while the worker waits idle. So:
 * - pieces read stay in a small cache (FIFO, at most `cacheBytes`), and a read inside a held piece
 *   is served from it: a compressed splice reads its head front to back, then a few bytes at the
 *   deflate block boundaries inside that head again;
 * - a small read fetches at least `minRead` bytes (the headers and FAT sectors that follow are
 *   then already here);
 * - the first read also reads the input's last `tailBytes`: every compressed format keeps
 *   something there the codec reads later (the gzip trailer, zip's central directory, the xz
 *   index), and a GPT disk its backup header;
 * - a read that continues the previous one starts reading the next piece of the same length
 *   before it returns, so the browser reads while the worker decodes (`readAhead` pieces ahead).
 * Only ranges the core asks for, widened to `minRead`, plus the pieces ahead, are ever loaded. Returned arrays are
 * views into the held pieces: the core's contract is that a caller copies before it mutates.
 * `readTo` tracks the furthest byte the core read, which the worker reports as progress (every
 * phase reads the input front to back).
 */
import { CoreError, type ByteSource } from '#core/index.ts';

export interface BlobSource extends ByteSource {
  /** Furthest input offset read so far (by the core; read-ahead does not count). */
  readonly readTo: number;
}

export interface BlobSourceOptions {
  /** Bytes of read pieces kept for later reads (default 16 MiB). */
  cacheBytes?: number;
  /** A read shorter than this fetches this much (default 1 MiB). */
  minRead?: number;
  /** Reads at least this long that continue the previous one start the next pieces early (default 64 KiB). */
  readAheadFrom?: number;
  /** How many pieces of the same length are read ahead (default 2; 0 turns read-ahead off). */
  readAhead?: number;
  /** With the first read, the input's last bytes are read too (default 64 KiB; 0: not). */
  tailBytes?: number;
}

interface Piece {
  start: number;
  end: number;
  bytes: Promise<Uint8Array>;
  /** The tail: small, read last, never evicted. */
  keep?: boolean;
}

export function blobSource(blob: Blob, options: BlobSourceOptions = {}): BlobSource {
  const cacheBytes = options.cacheBytes ?? 16 << 20;
  const minRead = options.minRead ?? 1 << 20;
  const readAheadFrom = options.readAheadFrom ?? 64 << 10;
  const readAhead = options.readAhead ?? 2;
  const tailBytes = options.tailBytes ?? 64 << 10;
  const size = blob.size;
  const pieces: Piece[] = [];
  let held = 0;
  let readTo = 0;
  let lastEnd = -1;

  const fetchPiece = (start: number, end: number, keep = false): Piece => {
    const piece: Piece = { start, end, bytes: readBlob(blob, start, end), keep };
    // A failed piece is forgotten (the error reaches whoever awaits it); a read-ahead nobody awaits
    // must not be an unhandled rejection.
    piece.bytes.catch(() => forget(piece));
    pieces.push(piece);
    held += end - start;
    for (let i = 0; held > cacheBytes && i < pieces.length - 1; ) {
      if (pieces[i].keep) i++;
      else forget(pieces[i]);
    }
    return piece;
  };
  const forget = (piece: Piece) => {
    const i = pieces.indexOf(piece);
    if (i < 0) return;
    pieces.splice(i, 1);
    held -= piece.end - piece.start;
  };
  const holding = (start: number, end: number) => pieces.find((p) => p.start <= start && end <= p.end);

  return {
    size,
    get readTo() {
      return readTo;
    },
    async read(offset: number, length: number): Promise<Uint8Array> {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
        throw new CoreError('IO_OUT_OF_RANGE', `Read of ${length} bytes at ${offset} is outside the ${size}-byte input.`, { offset, length, size });
      }
      const end = offset + length;
      const first = lastEnd < 0;
      const piece = holding(offset, end) ?? fetchPiece(offset, Math.min(size, Math.max(end, offset + minRead)));
      if (first && tailBytes > 0 && piece.end < size - tailBytes) fetchPiece(size - tailBytes, size, true);
      // The next piece is asked for before this one is awaited: both reads run while the core works.
      const continues = offset <= lastEnd && end > lastEnd;
      lastEnd = end;
      if (continues && length >= readAheadFrom) {
        for (let k = 0, at = end; k < readAhead && at < size; k++, at += length) {
          if (!holding(at, at + 1)) fetchPiece(at, Math.min(size, at + length));
        }
      }
      const bytes = await piece.bytes;
      readTo = Math.max(readTo, end);
      return bytes.subarray(offset - piece.start, end - piece.start);
    },
  };
}

async function readBlob(blob: Blob, start: number, end: number): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await blob.slice(start, end).arrayBuffer());
  } catch (e) {
    // NotReadableError / NotFoundError: the picked file changed or went away. The nearest core
    // code is IO_TRUNCATED (the input no longer has the bytes it had).
    throw new CoreError('IO_TRUNCATED', `The input file can no longer be read (was it changed, moved or deleted after it was picked?): ${(e as Error)?.message ?? String(e)}`, {
      offset: start,
      length: end - start,
      cause: (e as DOMException)?.name,
    });
  }
  if (bytes.length !== end - start) throw new CoreError('IO_TRUNCATED', `The input file changed or could not be read at byte ${start}.`, { offset: start, length: end - start });
  return bytes;
}
