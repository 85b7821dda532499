import { concat } from '../../bytes/concat.ts';
import { CoreError, isCoreError, throwIfAborted } from '../../errors.ts';
import type { ByteSource } from '../../io/byte-source.ts';
import { corrupt } from '../kit/errors.ts';
import { mismatch } from './block-header.ts';
import { createCheck } from './check.ts';
import {
  type BlockHeader,
  CHECK_CRC32,
  CHECK_NONE,
  checkName,
  checkSize,
  encodeIndex,
  encodeStreamFooter,
  encodeStreamHeader,
} from './format.ts';
import type { XzBlock } from './layout.ts';
import { Lzma2Walker } from './lzma2-walker.ts';
import { runXzDecoder } from './wasm-decoder.ts';

/** xz-file-format §5.3 filter IDs, for messages. */
const FILTER_NAMES: Record<number, string> = {
  0x03: 'Delta', 0x04: 'x86 BCJ', 0x05: 'PowerPC BCJ', 0x06: 'IA-64 BCJ', 0x07: 'ARM BCJ',
  0x08: 'ARM-Thumb BCJ', 0x09: 'SPARC BCJ', 0x0a: 'ARM64 BCJ', 0x0b: 'RISC-V BCJ', 0x21: 'LZMA2',
};

/** Compressed bytes read from the input per piece. */
const PIECE_SIZE = 1 << 20;

/**
 * Checks the WASM decoder (xz-embedded) verifies itself; others are verified here. CRC-64 is
 * computed here too: the slice-by-8 JS (crc64.ts) runs about twice as fast as xz-embedded's
 * byte-at-a-time WASM loop (24 MiB: ~26 ms against ~60 ms).
 */
function decoderVerifies(checkId: number): boolean {
  return checkId === CHECK_NONE || checkId === CHECK_CRC32;
}

export interface DecodeBlockOptions {
  signal?: AbortSignal;
  /** Called with the input offset read up to, as the block's compressed bytes are read. */
  onRead?: (position: number) => void;
}

/**
 * Decodes one block on its own by wrapping it in a one-block "mini-stream" (tech-notes §3.8):
 * stream header + the block's bytes (read from the input where the index places it) + a fresh
 * one-record index + footer, fed to xz-decompress. Blocks are independent (each starts with a
 * dictionary reset), so this works for any block of a multi-block file. xz-embedded checks
 * CRC32/CRC64; a SHA-256 block is presented with check type "none" and verified here.
 *
 * The compressed data is also walked (lzma2-walker.ts), so a block whose real sizes differ from the
 * index's is reported as such, before the decoder would report a vague data error.
 *
 * `onChunk` receives the decoded bytes in order, as views into the decoder's memory valid only until
 * the promise it returns settles (copy what must be kept); returning false stops early (the decoder
 * is released). Views start at multiples of 64 KiB when the WASM is driven directly. Resolves true
 * when the block was decoded to its end and its size and check verified. xz-decompress runs one
 * decoder at a time per realm: this function never leaves one open.
 */
export async function decodeBlock(
  input: ByteSource,
  block: XzBlock,
  header: BlockHeader,
  onChunk: (chunk: Uint8Array) => boolean | void | Promise<boolean | void>,
  options: DecodeBlockOptions = {},
): Promise<boolean> {
  const verifies = decoderVerifies(block.checkId);
  const ownCheck = verifies ? null : createCheck(block.checkId);
  const checkLength = checkSize(block.checkId);
  let stored: Uint8Array = new Uint8Array(0);
  const next = miniStream(input, block, header, verifies, options, (check) => (stored = check));
  let decoded = 0;
  let finished: boolean;
  try {
    finished = await runXzDecoder(next, async (chunk) => {
      decoded += chunk.length;
      if (decoded > block.size) throw mismatch(block, `it decodes to more than the ${block.size} bytes the index gives it`);
      ownCheck?.update(chunk);
      throwIfAborted(options.signal);
      return onChunk(chunk);
    });
  } catch (e) {
    throw explain(e, block, header);
  }
  if (!finished) return false;
  if (decoded !== block.size) throw mismatch(block, `it decodes to ${decoded} bytes, the index gives it ${block.size}`);
  if (ownCheck) {
    const actual = ownCheck.digest();
    if (actual.length !== checkLength || actual.some((b, i) => b !== stored[i])) {
      throw corrupt(`The .xz block ${block.number} (at byte ${block.offset}) is corrupt: its data does not match its ${checkName(block.checkId)} check.`, {
        block: block.number,
        offset: block.offset,
      });
    }
  }
  return true;
}

/** The one-block stream fed to the decoder, piece by piece (null at its end); checks the block's layout against the index as it goes. */
function miniStream(
  input: ByteSource,
  block: XzBlock,
  header: BlockHeader,
  verifies: boolean,
  options: DecodeBlockOptions,
  onCheck: (check: Uint8Array) => void,
): () => Promise<Uint8Array | null> {
  const miniCheck = verifies ? block.checkId : CHECK_NONE;
  const checkLength = checkSize(block.checkId);
  const dataEnd = block.offset + block.totalSize - checkLength; // compressed data + block padding
  const dataSize = block.unpaddedSize - header.bytes.length - checkLength;
  const walker = new Lzma2Walker(block.number);
  let pos = block.offset + header.bytes.length;
  let step = 0;
  return async () => {
    if (step === 0) {
      step = 1;
      return concat([encodeStreamHeader(miniCheck), header.bytes]);
    }
    throwIfAborted(options.signal);
    if (pos < dataEnd) {
      const n = Math.min(PIECE_SIZE, dataEnd - pos);
      const piece = (await input.read(pos, n)).slice();
      pos += n;
      options.onRead?.(pos);
      const used = walker.done ? 0 : walker.feed(piece);
      if (walker.done) checkWalk(walker, block, dataSize);
      if (piece.subarray(used).some((b) => b !== 0)) {
        throw corrupt(`The .xz block ${block.number} (at byte ${block.offset}) is corrupt: its padding is not zero.`, { block: block.number, offset: block.offset });
      }
      return piece;
    }
    if (step === 2) return null;
    step = 2;
    if (!walker.done) throw mismatch(block, 'its compressed data runs past the end the index gives it');
    const check = (await input.read(dataEnd, checkLength)).slice();
    onCheck(check);
    const index = encodeIndex([{ unpaddedSize: block.unpaddedSize - checkLength + checkSize(miniCheck), uncompressedSize: block.size }]);
    return concat([verifies ? check : new Uint8Array(0), index, encodeStreamFooter(index.length, miniCheck)]);
  };
}

/** The sizes the LZMA2 walk found must be the index's. */
function checkWalk(walker: Lzma2Walker, block: XzBlock, dataSize: number): void {
  if (walker.compressedSize !== dataSize) throw mismatch(block, `it holds ${walker.compressedSize} compressed bytes, the index ${dataSize}`);
  if (walker.uncompressedSize !== block.size) throw mismatch(block, `it holds ${walker.uncompressedSize} uncompressed bytes, the index ${block.size}`);
}

/** Maps xz-embedded's numeric results (xz.h enum xz_ret) to user-facing errors. */
function explain(e: unknown, block: XzBlock, header: BlockHeader): unknown {
  if (isCoreError(e)) return e;
  const n = block.number;
  const where = `The .xz block ${n} (at byte ${block.offset})`;
  const detail = { block: n, offset: block.offset };
  const code = Number(/error code (\d+)/.exec(String((e as Error)?.message ?? e))?.[1]);
  switch (code) {
    case 7: // XZ_DATA_ERROR: bad compressed data, wrong check, index mismatch
      return corrupt(`${where} is corrupt: its compressed data is damaged or does not match its ${checkName(block.checkId)} check.`, detail);
    case 3: // XZ_MEM_ERROR
    case 4: // XZ_MEMLIMIT_ERROR
      return new CoreError('ARCHIVE_UNSUPPORTED', `${where} needs more memory (a larger dictionary) than the decoder allows.`, detail);
    case 6: {
      // XZ_OPTIONS_ERROR: a filter or option xz-embedded does not support
      const filters = header.filters.map((f) => FILTER_NAMES[f.id] ?? `0x${f.id.toString(16)}`).join(' + ');
      return new CoreError('ARCHIVE_UNSUPPORTED', `${where} uses filters (${filters}) or options the decoder does not support.`, detail);
    }
    default: // XZ_FORMAT_ERROR, XZ_BUF_ERROR (ends early) and anything unexpected
      return corrupt(`${where} is corrupt and cannot be decoded (decoder error ${Number.isNaN(code) ? String(e) : code}).`, detail);
  }
}
