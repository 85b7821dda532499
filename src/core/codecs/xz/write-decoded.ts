import type { ChangedRange } from '../../io/overlay.ts';
import type { WriteOptions, WriteSummary } from '../codec.ts';
import { applyChanges, checkChanges } from '../kit/changes.ts';
import type { CodecInput } from '../kit/open.ts';
import { runWrite } from '../kit/output.ts';
import type { XzDecodedImage } from './decoded-image.ts';

/**
 * The plain image with the changes applied, streamed block after block with back-pressure (the
 * kit's runWrite: closed only after the last block's check passed, aborted on any failure): blocks
 * still in the image's cache are written from it, the others decoded and passed straight through
 * as they come out of the decoder, never held; a block that is a byte-identical copy of a zero
 * block decoded before is written as zeros without decoding (zero-blocks.ts) and counts in
 * `decodedBytes` like a decoded one.
 */
export async function writeDecoded(
  ci: CodecInput,
  image: XzDecodedImage,
  changes: readonly ChangedRange[],
  out: WritableStream<Uint8Array>,
  options: WriteOptions,
): Promise<WriteSummary> {
  const progress = ci.progress(options.onProgress);
  const signal = options.signal ?? ci.options.signal;
  const { imageSize, bytesWritten } = await runWrite(out, progress, signal, async (w) => {
    checkChanges(changes, image.size);
    const { blocks } = image.layout;
    let position = 0;
    const emit = async (chunk: Uint8Array) => {
      await w.write(applyChanges(chunk, position, changes));
      position += chunk.length;
    };
    // The decoder's output is a view into its memory, reused after this returns: the sink gets a
    // copy. The shared zeros of a copied zero block are never modified: the sink gets them as they are.
    const emitDecoded = (chunk: Uint8Array, shared: boolean) => emit(shared ? chunk : chunk.slice());
    for (let i = 0; i < blocks.length; i++) {
      const block = blocks[i];
      const held = image.heldChunks(i);
      if (held) {
        for (const chunk of held) await emit(chunk);
        // A plain write passes each block once: what planning cached is not needed again, and
        // holding it would add the whole cache to the memory the stream needs.
        image.forget(i);
      } else {
        await image.zeros.decode(block, await image.header(i), emitDecoded, { signal, onRead: (p) => progress.read(p) });
        image.decodedBytes += block.size;
      }
      progress.read(block.offset + block.totalSize);
    }
    return { imageSize: position };
  });
  return { bytesWritten, imageSize, decodedBytes: image.decodedBytes };
}
