import { CoreError, throwIfAborted } from '../../errors.ts';
import type { ChangedRange } from '../../io/overlay.ts';
import type { DecodedHead } from '../decoded-head.ts';
import type { WriteOptions, WriteSummary } from '../stream-codec.ts';
import type { BlockFeed } from './block-feed.ts';
import { ChangeSet } from './changes.ts';
import { Output, Progress } from './output.ts';

/**
 * The plain image with the changes applied: the decoded head first, then the rest of the input
 * decoded block after block and passed straight through (never held), every block verified.
 */
export async function writeDecoded(
  feed: BlockFeed,
  head: DecodedHead,
  ranges: readonly ChangedRange[],
  out: WritableStream<Uint8Array>,
  options: WriteOptions = {},
): Promise<WriteSummary> {
  const output = new Output(out);
  const progress = new Progress(options.onProgress);
  try {
    const changes = new ChangeSet(ranges);
    feed.holdRaw = false;
    for (const item of feed.timeline) if (item.kind === 'block') item.raw = null;
    let position = 0;
    const emit = async (chunk: Uint8Array) => {
      throwIfAborted(options.signal);
      await output.write(changes.apply(chunk, position));
      position += chunk.length;
      progress.update('write', feed.reader.bytesRead, output.bytesWritten);
    };
    for (const chunk of head.chunks) await emit(chunk);
    head.release();
    for (let chunk = await feed.nextDecoded(); chunk; chunk = await feed.nextDecoded()) await emit(chunk);
    if (changes.end > position) {
      throw new CoreError('IO_OUT_OF_RANGE', `A change ends at byte ${changes.end}, past the end of the image (${position} bytes).`);
    }
    feed.poison(new CoreError('INTERNAL', 'The .xz image can no longer be read: its input was consumed by a write.'));
    progress.update('write', feed.reader.bytesRead, output.bytesWritten, true);
    await output.close();
    return { bytesWritten: output.bytesWritten, imageSize: position, reencodedBytes: 0 };
  } catch (e) {
    await output.abort(e);
    await feed.cancel(e);
    throw e;
  } finally {
    head.release();
  }
}
