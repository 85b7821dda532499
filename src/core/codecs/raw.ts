import type { ChangedRange } from '../io/overlay.ts';
import type { Codec, OpenedImage, OpenOptions, WriteOptions, WriteSummary } from './stream-codec.ts';
import { DecodedHead } from './decoded-head.ts';
import { applyChanges, checkChanges, runWrite } from './stream-output.ts';
import { InputReader } from './stream-reader.ts';

/** A plain disk image read as a stream: the "decoded" bytes are the input bytes. */
export const rawCodec: Codec = {
  id: 'raw',
  label: 'disk image',
  extensions: ['.img', '.raw', '.hddimg', '.wic', '.sdcard', '.rpi-sdimg', '.bin', '.iso'],
  sniff: () => true,
  open: openRaw,
};

async function openRaw(input: ReadableStream<Uint8Array>, options: OpenOptions = {}): Promise<OpenedImage> {
  const reader = new InputReader(input, { signal: options.signal, onProgress: options.onProgress, totalBytes: options.inputSize });
  // The head keeps the chunks; the reader itself need not.
  reader.retain = false;
  const head = new DecodedHead(async () => (await reader.next())?.slice() ?? null, options.inputSize);
  const write = (changes: readonly ChangedRange[], out: WritableStream<Uint8Array>, o?: WriteOptions): Promise<WriteSummary> => {
    checkChanges(changes, head.size);
    return runWrite(out, reader, o, async (w) => {
      let pos = 0;
      for (const c of head.chunks) {
        await w.write(applyChanges(c, pos, changes));
        pos += c.length;
      }
      head.release();
      for (;;) {
        const c = await reader.next();
        if (!c) break;
        await w.write(applyChanges(c, pos, changes));
        pos += c.length;
      }
      checkChanges(changes, pos);
      return { imageSize: pos };
    });
  };
  return {
    codec: 'raw',
    image: head,
    writeSpliced: write,
    writeDecoded: write,
    cancel: async (reason) => {
      head.release();
      await reader.cancel(reason);
    },
  };
}
