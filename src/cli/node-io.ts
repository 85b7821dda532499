/**
 * Node file handles as core byte sources/stores, and output files that appear only when complete
 * (written beside the target, then renamed), so a failed run never leaves a partial file.
 */
import { createWriteStream } from 'node:fs';
import { open, rename, rm, copyFile, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { CoreError } from '../core/errors.ts';
import type { ByteStore } from '../core/io/byte-source.ts';
import { checkRange } from '../core/io/memory.ts';

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

/** An output file that is written under a temporary name and renamed into place on commit. */
export class AtomicOutput {
  readonly path: string;
  readonly tempPath: string;

  constructor(path: string) {
    this.path = path;
    this.tempPath = join(dirname(path), `.${basename(path)}.preflash-${process.pid}.tmp`);
  }

  /** A web WritableStream over the temporary file. */
  writable(): WritableStream<Uint8Array> {
    return Writable.toWeb(createWriteStream(this.tempPath, { flags: 'w' })) as WritableStream<Uint8Array>;
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
