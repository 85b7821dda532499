/**
 * Node file handles as core byte sources/stores, and output files that appear only when complete
 * (written beside the target, then renamed), so a failed run never leaves a partial file.
 */
import { constants } from 'node:fs';
import { access, open, rename, rm, copyFile, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CoreError } from '../core/errors.ts';
import type { ByteStore } from '../core/io/byte-source.ts';
import { checkRange } from '../core/io/memory.ts';
import { HostError } from './errors.ts';

export class NodeFile implements ByteStore {
  readonly #handle: FileHandle;
  readonly size: number;

  private constructor(handle: FileHandle, size: number) {
    this.#handle = handle;
    this.size = size;
  }

  static async open(path: string, mode: 'r' | 'r+' = 'r'): Promise<NodeFile> {
    const handle = await open(path, mode);
    const { size } = await handle.stat();
    return new NodeFile(handle, size);
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(offset, length, this.size);
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.#handle.read(out, done, length - done, offset + done);
      if (bytesRead === 0) throw new CoreError('IO_TRUNCATED', `The image ended unexpectedly at byte ${offset + done}.`);
      done += bytesRead;
    }
    return out;
  }

  async write(offset: number, bytes: Uint8Array): Promise<void> {
    checkRange(offset, bytes.length, this.size);
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.#handle.write(bytes, done, bytes.length - done, offset + done);
      done += bytesWritten;
    }
  }

  async sync(): Promise<void> {
    await this.#handle.sync();
  }

  async close(): Promise<void> {
    await this.#handle.close();
  }
}

/**
 * Fails early, with the output path in the message, when the output cannot be created: before any
 * work is done, and so that a missing folder is not reported as a problem with the input.
 */
export async function checkOutputFolder(path: string): Promise<void> {
  const folder = dirname(resolve(path));
  try {
    if (!(await stat(folder)).isDirectory()) throw new Error('not a folder');
    await access(folder, constants.W_OK);
  } catch {
    throw new HostError(`cannot write ${path}: the folder ${folder} does not exist or is not writable`);
  }
}

/** An output file that is written under a temporary name and renamed into place on commit. */
export class AtomicOutput {
  readonly path: string;
  readonly tempPath: string;

  constructor(path: string) {
    this.path = path;
    this.tempPath = join(dirname(path), `.${basename(path)}.preflash-${process.pid}.tmp`);
  }

  /**
   * A web WritableStream over the temporary file with real back-pressure: each chunk is written
   * (and awaited) in turn, and `ready` waits while more than 8 MiB are queued. Node's
   * Writable.toWeb(fs.WriteStream) did not hold writers back: a 1 GiB .xz → .img peaked at
   * 1.16 GB RSS through it, against 0.2 GB with a sink that keeps up.
   */
  writable(): WritableStream<Uint8Array> {
    let handle: FileHandle | undefined;
    const path = this.tempPath;
    return new WritableStream<Uint8Array>(
      {
        start: async () => {
          handle = await open(path, 'w');
        },
        write: async (chunk) => {
          let done = 0;
          while (done < chunk.length) done += (await handle!.write(chunk, done, chunk.length - done)).bytesWritten;
        },
        close: async () => {
          await handle?.close();
        },
        abort: async () => {
          await handle?.close();
        },
      },
      new ByteLengthQueuingStrategy({ highWaterMark: 8 * 1024 * 1024 }),
    );
  }

  /** Starts the temporary file as a copy of `source` (copy_file_range: cheap, sparse-friendly). */
  async copyFrom(source: string): Promise<void> {
    await copyFile(source, this.tempPath);
  }

  async commit(): Promise<void> {
    await rename(this.tempPath, this.path);
  }

  async discard(): Promise<void> {
    await rm(this.tempPath, { force: true });
  }
}
