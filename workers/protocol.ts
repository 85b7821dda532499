/**
 * The messages between the app and the image worker, typed in one place. Bulk bytes never cross as
 * copies: the input crosses as a File/Blob (a handle, read inside the worker) and the output as a
 * transferred WritableStream (an OPFS file, a save-picker file, or a service-worker download).
 */
import type { CodecId, ProgressPhase } from '../src/core/codecs/stream-codec.ts';
import type { CoreErrorCode } from '../src/core/errors.ts';
import type { InspectReport } from '../src/core/pipeline/inspect-image.ts';
import type { OutputFormat } from '../src/core/pipeline/configure-stream.ts';

export type WorkerRequest = ConfigureRequest | InspectRequest | CancelRequest;

export interface ConfigureRequest {
  type: 'configure';
  id: number;
  input: Blob;
  fileName: string;
  /** Raw settings JSON value; validated in the worker so every host gets the same messages. */
  settings: unknown;
  deviceSlug?: string;
  member?: string;
  output: OutputFormat;
  /** Transferred; closed on success, aborted on failure. */
  sink: WritableStream<Uint8Array>;
  /** Seconds since 1970 for the FAT timestamps (SOURCE_DATE_EPOCH semantics); default fixed. */
  sourceDateEpoch?: number;
}

export interface InspectRequest {
  type: 'inspect';
  id: number;
  input: Blob;
  fileName: string;
}

export interface CancelRequest {
  type: 'cancel';
  id: number;
}

export type WorkerEvent = ProgressMessage | ConfigureDone | InspectDone | ErrorMessage;

export interface ProgressMessage {
  type: 'progress';
  id: number;
  phase: ProgressPhase;
  bytesRead: number;
  bytesWritten: number;
  totalBytes?: number;
}

export interface ConfigureDone {
  type: 'configure-done';
  id: number;
  inputFormat: CodecId;
  outputFormat: CodecId;
  member?: string;
  files: { path: string; size: number }[];
  changedBytes: number;
  bytesWritten: number;
  warnings: string[];
}

export interface InspectDone {
  type: 'inspect-done';
  id: number;
  format: CodecId;
  report: InspectReport;
}

export interface ErrorMessage {
  type: 'error';
  id: number;
  /** A CoreError code, or INTERNAL for a bug. */
  code: CoreErrorCode | 'INTERNAL';
  message: string;
  detail?: Record<string, unknown>;
}
