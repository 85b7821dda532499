/**
 * Node file handles as core byte sources/stores, and output files that appear only when complete
 * (written beside the target, then renamed), so a failed run never leaves a partial file.
 */
import { closeSync, constants, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { access, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CoreError, checkRange, type ByteStore } from '../core/index.ts';
import { HostError, outputFailed } from './errors.ts';

/** Reads at least this large are a sequential reader's (a codec's 1 MiB pieces): the next piece is read ahead. */
const READ_AHEAD_FROM = 256 * 1024;

export class NodeFile implements ByteStore {
  readonly path: string;
  readonly #handle: FileHandle;
  readonly size: number;

  private constructor(path: string, handle: FileHandle, size: number) {
    this.path = path;
    this.#handle = handle;
    this.size = size;
  }

  static async open(path: string, mode: 'r' | 'r+' = 'r'): Promise<NodeFile> {
    const handle = await open(path, mode);
    const { size } = await handle.stat();
    return new NodeFile(path, handle, size);
  }

  /**
   * The piece after the last large read, already being read (`read`): a codec reads its input
   * front to back in 1 MiB pieces (codecs/kit/reader.ts), and each read's trip through the thread
   * pool into fresh memory (~5 ms per MiB here) was time the decoding thread sat waiting — ~20 ms
   * of the bench's .gz splice. The browser's BlobSource reads ahead for the same reason.
   */
  #ahead: { offset: number; length: number; bytes: Promise<Uint8Array> } | null = null;

  async read(offset: number, length: number): Promise<Uint8Array> {
    const ahead = this.#ahead;
    this.#ahead = null;
    const hit = ahead !== null && ahead.offset === offset && length <= ahead.length;
    const bytes = hit ? ahead.bytes : this.readInto(new Uint8Array(length), offset);
    const next = offset + length;
    if (length >= READ_AHEAD_FROM && next < this.size) {
      const n = Math.min(length, this.size - next);
      const read = this.readInto(new Uint8Array(n), next);
      read.catch(() => undefined); // an error reaches the read that asks for these bytes, if one does
      this.#ahead = { offset: next, length: n, bytes: read };
    }
    return hit ? (await bytes).subarray(0, length) : bytes;
  }

  /** Fills `into` from `offset` (large copies reuse one buffer instead of allocating per read). */
  async readInto(into: Uint8Array, offset: number): Promise<Uint8Array> {
    checkRange(offset, into.length, this.size);
    let done = 0;
    while (done < into.length) {
      const { bytesRead } = await this.#handle.read(into, done, into.length - done, offset + done);
      if (bytesRead === 0) throw new CoreError('IO_TRUNCATED', `The image ended unexpectedly at byte ${offset + done}.`);
      done += bytesRead;
    }
    return into;
  }

  /** `readInto` without the thread pool's round trip (the CLI's copy loop, write-recipe-file.ts). */
  readIntoSync(into: Uint8Array, offset: number): Uint8Array {
    checkRange(offset, into.length, this.size);
    return readFullSync(this.#handle.fd, into, offset);
  }

  async write(offset: number, bytes: Uint8Array): Promise<void> {
    checkRange(offset, bytes.length, this.size);
    this.#ahead = null; // it may hold the bytes before this write
    await writeAll(this.#handle, bytes, offset);
  }

  async sync(): Promise<void> {
    await this.#handle.sync();
  }

  async close(): Promise<void> {
    await this.#handle.close();
  }
}

/**
 * The same store over synchronous calls, for `configure --in-place`: it reads a few hundred KB in a
 * few dozen calls and writes a few sectors, where each promise-based call's machinery (and its
 * first use) cost more than the I/O (issue 7, start-up). Not for long copies: nothing else runs
 * while a synchronous call waits.
 */
export class NodeFileSync implements ByteStore {
  readonly path: string;
  readonly #fd: number;
  readonly size: number;

  private constructor(path: string, fd: number, size: number) {
    this.path = path;
    this.#fd = fd;
    this.size = size;
  }

  static open(path: string, mode: 'r' | 'r+' = 'r'): NodeFileSync {
    const fd = openSync(path, mode);
    try {
      return new NodeFileSync(path, fd, fstatSync(fd).size);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    return this.readInto(new Uint8Array(length), offset);
  }

  async readInto(into: Uint8Array, offset: number): Promise<Uint8Array> {
    checkRange(offset, into.length, this.size);
    return readFullSync(this.#fd, into, offset);
  }

  async write(offset: number, bytes: Uint8Array): Promise<void> {
    checkRange(offset, bytes.length, this.size);
    writeAllSync(this.#fd, bytes, offset);
  }

  async sync(): Promise<void> {
    fsyncSync(this.#fd);
  }

  async close(): Promise<void> {
    closeSync(this.#fd);
  }
}

/** Flushes a file or folder (`r` for a folder, which cannot be opened for writing) to the disk. */
async function fsyncPath(path: string, mode: 'r' | 'r+'): Promise<void> {
  const handle = await open(path, mode);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Fills `into` from `offset` of the file `fd`; a file that ends first is IO_TRUNCATED. */
function readFullSync(fd: number, into: Uint8Array, offset: number): Uint8Array {
  for (let done = 0; done < into.length; ) {
    const bytesRead = readSync(fd, into, done, into.length - done, offset + done);
    if (bytesRead === 0) throw new CoreError('IO_TRUNCATED', `The image ended unexpectedly at byte ${offset + done}.`);
    done += bytesRead;
  }
  return into;
}

/** Writes all of `bytes` at `position` of the file `fd` (a write may take less than asked). */
export function writeAllSync(fd: number, bytes: Uint8Array, position: number): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}

/** Writes all of `bytes` at `position` (a file handle may write less than asked). */
export async function writeAll(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) done += (await handle.write(bytes, done, bytes.length - done, position + done)).bytesWritten;
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

/**
 * An output file that is written under a temporary name and renamed into place on commit. Every
 * failure to write it is OUTPUT_FAILED naming `path` (a full disk is not a damaged input), and the
 * first one is kept in `failure`: a codec that wraps its sink's error still cannot hide it.
 */
export class AtomicOutput {
  readonly path: string;
  readonly tempPath: string;
  /** Flush the file and its folder to the disk before reporting success (`--sync`). */
  readonly sync: boolean;
  failure: CoreError | undefined;

  constructor(path: string, options: { sync?: boolean } = {}) {
    this.path = path;
    this.tempPath = join(dirname(path), `.${basename(path)}.preflash-${process.pid}.tmp`);
    this.sync = options.sync === true;
  }

  /** Runs one step of writing the output; its failure is recorded and thrown as OUTPUT_FAILED. */
  async guard<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (e) {
      throw this.#fail(e);
    }
  }

  #fail(e: unknown): unknown {
    if (e instanceof CoreError && e.code !== 'OUTPUT_FAILED') return e;
    this.failure ??= outputFailed(this.path, e);
    return this.failure;
  }

  /** `guard` for a synchronous step. */
  guardSync<T>(step: () => T): T {
    try {
      return step();
    } catch (e) {
      throw this.#fail(e);
    }
  }

  /** Opens the temporary file for writing (created or truncated). */
  open(): Promise<FileHandle> {
    return this.guard(() => open(this.tempPath, 'w'));
  }

  /**
   * A web WritableStream over the temporary file with real back-pressure: each chunk is written
   * (and awaited) in turn, and `ready` waits while more than 8 MiB are queued. Node's
   * Writable.toWeb(fs.WriteStream) did not hold writers back: a 1 GiB .xz → .img peaked at
   * 1.16 GB RSS through it, against 0.2 GB with a sink that keeps up.
   */
  writable(): WritableStream<Uint8Array> {
    let handle: FileHandle | undefined;
    let position = 0;
    return new WritableStream<Uint8Array>(
      {
        start: async () => {
          handle = await this.open();
        },
        write: async (chunk) => {
          try {
            await this.guard(() => writeAll(handle!, chunk, position));
          } catch (e) {
            // A failed write errors the stream, and an errored stream never calls `abort`.
            await handle?.close().catch(() => undefined);
            handle = undefined;
            throw e;
          }
          position += chunk.length;
        },
        close: async () => {
          await this.guard(async () => handle?.close());
        },
        abort: async () => {
          await handle?.close().catch(() => undefined);
        },
      },
      new ByteLengthQueuingStrategy({ highWaterMark: 8 * 1024 * 1024 }),
    );
  }

  /**
   * Renames the finished file into place. Like gzip, xz and cp, it does not wait for the disk by
   * default (an fsync of a 177 MB output cost 145 ms, a seventh of a whole splice); a crash before
   * the kernel writes it back can lose the new file, never the input. With `sync` the file is
   * flushed before the rename and its folder after (POSIX: a rename is durable only then).
   */
  async commit(): Promise<void> {
    if (this.sync) await this.guard(() => fsyncPath(this.tempPath, 'r+'));
    await this.guard(() => rename(this.tempPath, this.path));
    if (this.sync) await this.guard(() => fsyncPath(dirname(this.path), 'r'));
  }

  async discard(): Promise<void> {
    await rm(this.tempPath, { force: true });
  }
}
