/**
 * A file the worker writes an output into when the output must be decoded in full (a compressed
 * input saved as .img, or recompressed): the output is too big for memory and cannot be a recipe.
 */
export interface OutputFile {
  /** Sequential writes; closing it commits the file. */
  readonly writable: WritableStream<Uint8Array>;
  /** After `writable` closed: the written file, and where it lives. */
  finish(): Promise<{ file: File; opfsName: string }>;
  /** Drops what was written (on failure or cancel). Never throws. */
  discard(): Promise<void>;
}

export type OpenOutputFile = (name: string) => Promise<OutputFile>;
