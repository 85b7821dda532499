import type { ChangedRange } from '../io/overlay.ts';
import type { Codec, OpenedImage, OpenOptions, WriteOptions, WriteSummary } from './stream-codec.ts';
import { DecodedHead } from './decoded-head.ts';
import { GZIP_MAGIC } from './gzip-header.ts';
import { spliceGzip, type GzipState } from './gzip-splice.ts';
import { GzipWalker } from './gzip-walker.ts';
import { rejectNestedImage } from './detect-nested.ts';
import { checkChanges, runWrite, writePlainImage } from './stream-output.ts';
import { InputReader } from './stream-reader.ts';

/** gzip (RFC 1952), single- or multi-member; the image is the concatenation of all members. */
export const gzipCodec: Codec = {
  id: 'gzip',
  label: 'gzip',
  extensions: ['.img.gz', '.gz', '.gzip'],
  sniff: (head) => head.length >= 3 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1] && head[2] === 8,
  open: openGzip,
};

async function openGzip(input: ReadableStream<Uint8Array>, options: OpenOptions = {}): Promise<OpenedImage> {
  const reader = new InputReader(input, { signal: options.signal, onProgress: options.onProgress, totalBytes: options.inputSize });
  reader.phase = 'decode';
  const walker = new GzipWalker(reader);
  try {
    await walker.start();
    const head = new DecodedHead(() => walker.step());
    await rejectNestedImage(head, 'The gzip file');
    const st: GzipState = { reader, walker, head, inputSize: options.inputSize };
    return {
      codec: 'gzip',
      image: head,
      writeSpliced: (changes, out, o = {}) => {
        checkChanges(changes, head.size);
        return runWrite(out, reader, o, (w) => spliceGzip(st, changes, w, o));
      },
      writeDecoded: (changes, out, o = {}) => writeGzipDecoded(st, changes, out, o),
      cancel: async (reason) => {
        head.release();
        await reader.cancel(reason);
      },
    };
  } catch (e) {
    await reader.cancel(e);
    throw e;
  }
}

/** The plain image with changes: the decoded head, then the rest decoded as it streams (every member checked). */
function writeGzipDecoded(st: GzipState, changes: readonly ChangedRange[], out: WritableStream<Uint8Array>, o: WriteOptions): Promise<WriteSummary> {
  checkChanges(changes, st.head.size);
  return runWrite(out, st.reader, o, async (w) => ({ imageSize: await writePlainImage(w, st.head, st.reader, () => st.walker.step(), changes) }));
}
