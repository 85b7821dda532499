import * as xzDecompress from 'xz-decompress';
import { CoreError, isCoreError } from '../../errors.ts';
import type { BlockBody, BlockPiece } from './block-body.ts';
import { type BlockCheck, createCheck } from './check.ts';
import {
  CHECK_CRC32,
  CHECK_CRC64,
  CHECK_NONE,
  checkName,
  checkSize,
  corrupt,
  encodeIndex,
  encodeStreamFooter,
  encodeStreamHeader,
} from './format.ts';

type XzStreamConstructor = new (compressed: ReadableStream<Uint8Array>) => ReadableStream<Uint8Array>;

/**
 * xz-decompress is a UMD bundle: Node's ESM loader only sees its `default` export, bundlers and
 * vitest see the named one. Take whichever exists.
 */
const XzReadableStream: XzStreamConstructor =
  (xzDecompress as unknown as { XzReadableStream?: XzStreamConstructor }).XzReadableStream ??
  (xzDecompress as unknown as { default: { XzReadableStream: XzStreamConstructor } }).default.XzReadableStream;

/** xz-file-format §5.3 filter IDs, for messages. */
const FILTER_NAMES: Record<number, string> = {
  0x03: 'Delta', 0x04: 'x86 BCJ', 0x05: 'PowerPC BCJ', 0x06: 'IA-64 BCJ', 0x07: 'ARM BCJ',
  0x08: 'ARM-Thumb BCJ', 0x09: 'SPARC BCJ', 0x0a: 'ARM64 BCJ', 0x0b: 'RISC-V BCJ', 0x21: 'LZMA2',
};

function filterNames(block: BlockBody): string {
  return block.header.filters.map((f) => FILTER_NAMES[f.id] ?? `0x${f.id.toString(16)}`).join(' + ');
}

/** Checks the WASM decoder (xz-embedded) verifies itself; others are verified here. */
function decoderVerifies(checkId: number): boolean {
  return checkId === CHECK_NONE || checkId === CHECK_CRC32 || checkId === CHECK_CRC64;
}

/**
 * Decodes one block on its own by wrapping it in a one-block "mini-stream" (tech-notes §3.8):
 * stream header + the block's bytes + a fresh one-record index + footer, fed to xz-decompress.
 * Blocks are independent (each starts with a dictionary reset), so this works for any block of a
 * multi-block file. xz-embedded checks CRC32/CRC64 and the index; a SHA-256 block is presented
 * with check type "none" (xz-embedded cannot compute it) and verified here instead.
 *
 * `onRaw` sees every input byte of the block as it streams by, so a caller can keep or copy them.
 */
export class BlockDecoder {
  readonly block: BlockBody;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #ownCheck: BlockCheck | null;
  #decoded = 0;
  #done = false;

  constructor(block: BlockBody, onRaw?: (piece: BlockPiece) => void | Promise<void>) {
    this.block = block;
    const verifies = decoderVerifies(block.checkId);
    this.#ownCheck = verifies ? null : createCheck(block.checkId);
    const miniCheck = verifies ? block.checkId : CHECK_NONE;
    let started = false;
    const source = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encodeStreamHeader(miniCheck));
          return;
        }
        const piece = await block.next();
        if (piece) {
          await onRaw?.(piece);
          if (piece.kind !== 'check' || verifies) controller.enqueue(piece.bytes);
          return;
        }
        const { unpaddedSize, uncompressedSize } = block.record;
        const index = encodeIndex([{ unpaddedSize: unpaddedSize - checkSize(block.checkId) + checkSize(miniCheck), uncompressedSize }]);
        controller.enqueue(index);
        controller.enqueue(encodeStreamFooter(index.length, miniCheck));
        controller.close();
      },
    });
    this.#reader = new XzReadableStream(source).getReader();
  }

  /** Decoded bytes produced so far. */
  get decodedLength(): number {
    return this.#decoded;
  }

  /** The next decoded chunk; null once the block has ended and passed its check. */
  async next(): Promise<Uint8Array | null> {
    if (this.#done) return null;
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await this.#reader.read();
      } catch (e) {
        this.#done = true;
        throw this.#explain(e);
      }
      if (result.done) {
        this.#done = true;
        this.#finish();
        return null;
      }
      if (result.value.length === 0) continue;
      this.#decoded += result.value.length;
      this.#ownCheck?.update(result.value);
      return result.value;
    }
  }

  #finish(): void {
    const expected = this.block.record.uncompressedSize;
    if (this.#decoded !== expected) {
      throw corrupt(`The .xz block ${this.block.number} is corrupt: it decodes to ${this.#decoded} bytes instead of ${expected}.`, { block: this.block.number });
    }
    if (this.#ownCheck) {
      const actual = this.#ownCheck.digest();
      const stored = this.block.check;
      if (actual.length !== stored.length || actual.some((b, i) => b !== stored[i])) throw this.#checkMismatch();
    }
  }

  #checkMismatch(): CoreError {
    const n = this.block.number;
    return corrupt(`The .xz block ${n} is corrupt: its data does not match its ${checkName(this.block.checkId)} check.`, { block: n });
  }

  /** Maps xz-embedded's numeric results (xz.h enum xz_ret) to user-facing errors. */
  #explain(e: unknown): unknown {
    if (isCoreError(e)) return e;
    const n = this.block.number;
    const code = Number(/error code (\d+)/.exec(String((e as Error)?.message ?? e))?.[1]);
    switch (code) {
      case 7: // XZ_DATA_ERROR: bad compressed data, wrong check, index mismatch
        return corrupt(`The .xz block ${n} is corrupt: its compressed data is damaged or does not match its ${checkName(this.block.checkId)} check.`, { block: n });
      case 3: // XZ_MEM_ERROR
      case 4: // XZ_MEMLIMIT_ERROR
        return new CoreError('ARCHIVE_UNSUPPORTED', `The .xz block ${n} needs more memory (a larger dictionary) than the decoder allows.`, { block: n });
      case 6: // XZ_OPTIONS_ERROR: a filter or option xz-embedded does not support
        return new CoreError('ARCHIVE_UNSUPPORTED', `The .xz block ${n} uses filters (${filterNames(this.block)}) or options the decoder does not support.`, { block: n });
      default: // XZ_FORMAT_ERROR, XZ_BUF_ERROR (ends early) and anything unexpected
        return corrupt(`The .xz block ${n} is corrupt and cannot be decoded (decoder error ${Number.isNaN(code) ? String(e) : code}).`, { block: n });
    }
  }

  /** Stops decoding (frees the decoder, which xz-decompress allows only one of at a time). */
  async cancel(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await this.#reader.cancel().catch(() => undefined);
  }
}
