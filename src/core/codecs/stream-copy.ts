import type { ChunkSink } from './stream-output.ts';
import type { InputReader } from './stream-reader.ts';
import { truncated } from './stream-reader.ts';

/**
 * Copies retained input bytes [from, to) to the sink without disturbing the reader's position
 * (a decoder may be reading ahead of the copy), then frees them. Returns `to`.
 */
export async function copyInput(reader: InputReader, sink: ChunkSink, from: number, to: number): Promise<number> {
  if (to <= from) return from;
  const resume = reader.position;
  reader.seek(from);
  let pos = from;
  while (pos < to) {
    const c = await reader.next(to - pos);
    if (!c) throw truncated('the archive', pos);
    await sink.write(c.slice());
    pos += c.length;
  }
  reader.seek(resume);
  reader.dropBefore(to);
  return to;
}

/**
 * Copies the input from `from` to its end: the retained bytes first, then the stream as it
 * arrives, without retaining it. Returns the input length.
 */
export async function copyRest(reader: InputReader, sink: ChunkSink, from: number): Promise<number> {
  reader.seek(from);
  reader.retain = false;
  for (;;) {
    const c = await reader.next();
    if (!c) break;
    await sink.write(c);
    reader.dropBefore(reader.position);
  }
  return reader.position;
}
