import { throwIfAborted } from '../../errors.ts';
import type { ByteSource } from '../../io/byte-source.ts';
import type { ChangedRange } from '../../io/overlay.ts';
import type { WriteOptions, WriteSummary } from '../codec.ts';
import { applyChanges, checkChanges } from '../stream-output.ts';
import { decodeBlock } from './block-decoder.ts';
import type { XzDecodedImage } from './decoded-image.ts';
import { Output, Progress } from './output.ts';

/**
 * The plain image with the changes applied, streamed block after block with back-pressure: blocks
 * still in the image's cache are written from it, the others decoded and passed straight through
 * (never held). Every block's check is verified; the output is closed only after the last one
 * passed, and aborted on any failure.
 */
export async function writeDecoded(
  input: ByteSource,
  image: XzDecodedImage,
  changes: readonly ChangedRange[],
  out: WritableStream<Uint8Array>,
  options: WriteOptions = {},
): Promise<WriteSummary> {
  const output = new Output(out);
  const progress = new Progress(options.onProgress, input.size);
  try {
    checkChanges(changes, image.size);
    const { blocks } = image.layout;
    let position = 0;
    const emit = async (chunk: Uint8Array) => {
      throwIfAborted(options.signal);
      await output.write(applyChanges(chunk, position, changes));
      position += chunk.length;
      progress.update('write', image.inputBytes, output.bytesWritten);
    };
    for (let i = 0; i < blocks.length; i++) {
      const held = image.heldComplete(i);
      if (held) {
        await emit(held);
        continue;
      }
      const header = await image.header(i);
      await decodeBlock(input, blocks[i], header, emit, { signal: options.signal, onInput: (n) => (image.inputBytes += n) });
      image.decodedBytes += blocks[i].size;
    }
    await output.close();
    progress.update('write', image.inputBytes, output.bytesWritten, true);
    return { bytesWritten: output.bytesWritten, imageSize: position, decodedBytes: image.decodedBytes };
  } catch (e) {
    await output.abort(e);
    throw e;
  }
}
