import { RecipeBuilder } from '../io/recipe.ts';
import { sourceStream } from '../io/source-stream.ts';
import type { Codec, OpenedImage } from './codec.ts';
import { guard } from './kit/errors.ts';
import type { Codec as StreamCodec } from './stream-codec.ts';

/**
 * INTERIM (issue 7): presents a codec still written against the stream contract (stream-codec.ts:
 * today only xz, being migrated to the kit on its own branch) as a new-contract Codec. Each
 * operation opens a fresh stream over the random-access input; a splice collects its streamed
 * bytes as one recipe segment. Delete with stream-codec.ts once xz implements codec.ts.
 */
export function fromStreamCodec<Id extends string>(legacy: StreamCodec, id: Id): Codec<Id> {
  return {
    id,
    label: legacy.label,
    extensions: legacy.extensions,
    sniff: (head) => legacy.sniff(head),
    open: (input, options = {}) =>
      guard(
        (async () => {
          const reopen = (signal?: AbortSignal) =>
            legacy.open(sourceStream(input, { signal }), { signal, onProgress: options.onProgress, member: options.member, inputSize: input.size });
          const first = await reopen(options.signal);
          let decoded = 0;
          return {
            codec: id as string as OpenedImage['codec'],
            image: first.image,
            member: first.member,
            get decodedBytes() {
              return decoded;
            },
            splice: async (changes, o = {}) => {
              const opened = await reopen(o.signal);
              const b = new RecipeBuilder();
              const sink = new WritableStream<Uint8Array>({ write: (c) => b.bytes(c.slice()) });
              const s = await guard(opened.writeSpliced(changes, sink, o));
              decoded += s.imageSize;
              return { recipe: b.finish(), imageSize: s.imageSize, decodedBytes: s.imageSize, reencodedBytes: s.reencodedBytes ?? 0 };
            },
            writeDecoded: async (changes, out, o = {}) => {
              const opened = await reopen(o.signal);
              const s = await guard(opened.writeDecoded(changes, out, o));
              decoded += s.imageSize;
              return { bytesWritten: s.bytesWritten, imageSize: s.imageSize, decodedBytes: s.imageSize };
            },
            close: () => first.cancel(),
          };
        })(),
      ),
  };
}
