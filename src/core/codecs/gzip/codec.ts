import type { ChangedRange } from '../../io/overlay.ts';
import type { Codec, OpenedImage, WriteOptions, WriteSummary } from '../codec.ts';
import { checkChanges } from '../kit/changes.ts';
import { DecodedHead } from '../kit/decoded-head.ts';
import { guard } from '../kit/errors.ts';
import { openWith, rejectNestedImage, type CodecInput } from '../kit/open.ts';
import { runWrite, writeChanged } from '../kit/output.ts';
import { GZIP_MAGIC } from './header.ts';
import { spliceGzip, type GzipState } from './splice.ts';
import { GzipWalker } from './walker.ts';

/** gzip (RFC 1952), single- or multi-member; the image is the concatenation of all members. */
export const gzipCodec: Codec<'gzip'> = {
  id: 'gzip',
  label: 'gzip',
  extensions: ['.img.gz', '.gz', '.gzip'],
  sniff: (head) => head.length >= 3 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1] && head[2] === 8,
  open: (input, options) => openWith(input, options, openGzip),
};

async function openGzip(ci: CodecInput): Promise<OpenedImage> {
  const progress = ci.progress();
  progress.phase = 'decode';
  const walker = new GzipWalker(ci.reader(0, ci.size, progress), { engine: ci.options.inflate });
  await walker.start();
  const head = new DecodedHead(() => walker.step());
  await rejectNestedImage(head, 'The gzip file');
  const st: GzipState = { ci, walker, head, extraDecoded: 0 };
  return {
    codec: 'gzip',
    image: head,
    get decodedBytes() {
      return head.decodedLength + st.extraDecoded;
    },
    splice: (changes, o = {}) => guard(spliceGzip(st, changes, o)),
    writeDecoded: (changes, out, o = {}) => writeGzipDecoded(st, changes, out, o),
    close: async () => head.release(),
  };
}

/** The plain image with changes: one fresh decoding pass (every member checked), nothing held. */
async function writeGzipDecoded(st: GzipState, changes: readonly ChangedRange[], out: WritableStream<Uint8Array>, o: WriteOptions): Promise<WriteSummary> {
  const progress = st.ci.progress(o.onProgress);
  const { imageSize, bytesWritten } = await runWrite(out, progress, o.signal, async (w) => {
    checkChanges(changes, st.head.size);
    const walker = new GzipWalker(st.ci.reader(0, st.ci.size, progress, o.signal), { keepMembers: false, engine: st.ci.options.inflate });
    await walker.start();
    return { imageSize: await writeChanged(w, () => walker.step(), changes) };
  });
  st.extraDecoded += imageSize;
  return { bytesWritten, imageSize, decodedBytes: imageSize };
}
