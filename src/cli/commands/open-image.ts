import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { detectCodec } from '../../core/codecs/detect.ts';
import type { Codec } from '../../core/codecs/stream-codec.ts';
import { NodeFile } from '../node-io.ts';

/** The input file as a web stream (compressed images are read front to back, never randomly). */
export function fileStream(path: string): ReadableStream<Uint8Array> {
  return Readable.toWeb(createReadStream(path, { highWaterMark: 1024 * 1024 })) as ReadableStream<Uint8Array>;
}

/** Detects the input's format from its first bytes (and name, as a tie-break). */
export async function detectFileCodec(path: string): Promise<Codec> {
  const file = await NodeFile.open(path);
  try {
    const head = await file.read(0, Math.min(4096, file.size));
    return detectCodec(head, path);
  } finally {
    await file.close();
  }
}
