import type { ByteSource } from '../../io/byte-source.ts';
import type { ChangedRange } from '../../io/overlay.ts';
import { RecipeBuilder, type OutputRecipe } from '../../io/recipe.ts';
import type { Codec, OpenedImage, WriteOptions, WriteSummary } from '../codec.ts';
import { checkChanges } from '../kit/changes.ts';
import { guard } from '../kit/errors.ts';
import { openWith, type CodecInput } from '../kit/open.ts';
import { runWrite, writeChanged } from '../kit/output.ts';

/** Plain images are streamed out in pieces this large (few large reads: tech-notes §9). */
const PIECE = 8 << 20;

/** A plain disk image: the "decoded" image is the input itself. */
export const rawCodec: Codec<'raw'> = {
  id: 'raw',
  label: 'disk image',
  extensions: ['.img', '.raw', '.hddimg', '.wic', '.sdcard', '.rpi-sdimg', '.bin', '.iso'],
  sniff: () => true,
  open: (input, options) => openWith(input, options, openRaw),
};

async function openRaw(ci: CodecInput): Promise<OpenedImage> {
  return {
    codec: 'raw',
    image: ci.input,
    decodedBytes: 0,
    // Splicing a plain image is the input between the changed sectors.
    splice: async (changes) => {
      checkChanges(changes, ci.size);
      const recipe = rawRecipe(ci.size, changes);
      return { recipe, imageSize: ci.size, decodedBytes: 0, reencodedBytes: 0 };
    },
    writeDecoded: (changes, out, o) => guard(writeRaw(ci, changes, out, o)),
    close: async () => undefined,
  };
}

/**
 * A plain image with its changed ranges: input ranges between the changes, the changes as bytes.
 * Takes the changes or anything holding them (a ConfigurePlan).
 */
export function rawRecipe(size: number, changed: readonly ChangedRange[] | { changes: readonly ChangedRange[] }): OutputRecipe {
  const changes = 'changes' in changed ? changed.changes : changed;
  const b = new RecipeBuilder();
  let pos = 0;
  for (const c of changes) {
    b.copy(pos, c.offset - pos);
    b.bytes(c.bytes);
    pos = c.offset + c.bytes.length;
  }
  b.copy(pos, size - pos);
  return b.finish();
}

async function writeRaw(ci: CodecInput, changes: readonly ChangedRange[], out: WritableStream<Uint8Array>, o: WriteOptions = {}): Promise<WriteSummary> {
  const progress = ci.progress(o.onProgress);
  const { imageSize, bytesWritten } = await runWrite(out, progress, o.signal, async (w) => {
    checkChanges(changes, ci.size);
    return { imageSize: await writeChanged(w, pieces(ci.input, progress.read.bind(progress)), changes) };
  });
  return { bytesWritten, imageSize, decodedBytes: 0 };
}

/** Front-to-back copies of the input in large pieces (copies: a source may reuse its buffer). */
function pieces(input: ByteSource, onRead: (pos: number) => void): () => Promise<Uint8Array | null> {
  let pos = 0;
  return async () => {
    if (pos >= input.size) return null;
    const n = Math.min(PIECE, input.size - pos);
    const bytes = (await input.read(pos, n)).slice();
    pos += n;
    onRead(pos);
    return bytes;
  };
}
