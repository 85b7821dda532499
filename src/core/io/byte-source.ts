/**
 * Random-access bytes. Everything in the core reads images through this, never as one big array:
 * an implementation may be an in-memory buffer, a Node file handle, an OPFS SyncAccessHandle, or
 * the lazily decoded head of a compressed stream.
 *
 * Offsets are plain numbers: safe up to 2^53 bytes, far beyond any image.
 */
export interface ByteSource {
  /**
   * Total length in bytes. A source whose length is not known yet (a compressed stream still
   * being decoded) reports `Number.POSITIVE_INFINITY`; callers must then not rely on it.
   */
  readonly size: number;
  /**
   * Exactly `length` bytes at `offset`. Throws CoreError IO_OUT_OF_RANGE / IO_TRUNCATED when the
   * range is not inside the source. The returned array may be a view the caller must not keep
   * across later reads if it intends to mutate it; copy first.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A source that can also be written at any offset (an overlay, an in-memory disk). */
export interface ByteStore extends ByteSource {
  write(offset: number, bytes: Uint8Array): Promise<void>;
}

