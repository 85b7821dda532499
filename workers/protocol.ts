/**
 * The messages between the app and the image worker, typed in one place (the app imports only
 * this file and `validate-request.ts`'s types, never `handle.ts`).
 *
 * Bulk bytes never cross as copies: the input crosses as a File/Blob (a handle, read inside the
 * worker in slices); the output comes back as a Blob composed of input slices and the few new
 * bytes (a spliced or patched image: no copied byte passes through JavaScript), or as an
 * origin-private File the worker wrote through a sync access handle (an output that had to be
 * decoded in full), or it goes into a WritableStream the app transferred.
 *
 * Formats use one vocabulary in requests and results: the core's CodecId ('raw' | 'gzip' | 'zip' |
 * 'xz'); an output request is 'same' (the input's own format) or one of the CodecIds the core can
 * write from any input ('raw', 'gzip').
 */
import type { CodecId, ConfigurePlan, CoreErrorCode, CoreWarning, InspectReport, OutputChoice, ProgressPhase, SettingsIssue, SshKeyType } from '#core/index.ts';

export type { CodecId, OutputChoice };

export const OUTPUT_CHOICES: readonly OutputChoice[] = ['same', 'raw', 'gzip'];

// ─── requests (app → worker) ─────────────────────────────────────────────────────────────────

export type WorkerRequest =
  | InspectRequest
  | ConfigureRequest
  | CheckSettingsRequest
  | PreviewFilesRequest
  | KeyInfoRequest
  | WireguardPublicKeyRequest
  | CancelRequest;

export type RequestType = WorkerRequest['type'];

/** Every request but `cancel` gets exactly one answer: its `*-done` event or an `error`. */
export type JobRequest = Exclude<WorkerRequest, CancelRequest>;

export const REQUEST_TYPES: readonly RequestType[] = ['inspect', 'configure', 'check-settings', 'preview-files', 'key-info', 'wireguard-public-key', 'cancel'];

interface RequestBase {
  /** Chosen by the client, unique among its requests in flight; echoed in every event. */
  id: number;
}

/** What a partition picture needs: table, every partition, the config partition and why. */
export interface InspectRequest extends RequestBase {
  type: 'inspect';
  input: Blob;
  /** The input's name: a tie-break for format detection. */
  fileName: string;
  /** For archives with several disk images: the one the user chose. */
  member?: string;
}

export interface ConfigureRequest extends RequestBase {
  type: 'configure';
  input: Blob;
  fileName: string;
  member?: string;
  output: OutputChoice;
  /** The settings as parsed JSON; validated in the worker so every host gets the same messages. */
  settings: unknown;
  /** The device type the user picked (catalogue slug or alias); checked against the catalogue and the image. */
  deviceSlug?: string;
  /** Seconds since 1970 for every FAT timestamp written (SOURCE_DATE_EPOCH); a fixed date when absent. */
  sourceDateEpoch?: number;
  /** Also decode what a splice only copies, to check the input's CRC (slower). */
  verifyInput?: boolean;
  /**
   * Where an output that must be decoded in full goes when the worker has no origin-private file
   * system (transferred; closed on success, aborted on failure). With OPFS it is not needed; when
   * the output is a Blob it is aborted unused.
   */
  sink?: WritableStream<Uint8Array>;
  /**
   * Names an OPFS output `preflash-<outputTag>-…` (letters, digits, '-', '_'), so the client can
   * remove what a worker it had to terminate left behind. A random tag when absent.
   */
  outputTag?: string;
}

/** Validation without an image, cheap enough for every keystroke. */
export interface CheckSettingsRequest extends RequestBase {
  type: 'check-settings';
  settings: unknown;
  deviceSlug?: string;
}

/** The files a configuration will write, for a review step (config.json as for an image without one). */
export interface PreviewFilesRequest extends RequestBase {
  type: 'preview-files';
  settings: unknown;
  deviceSlug?: string;
}

/** An OpenSSH public key line → its type, size and fingerprint (as `ssh-keygen -l` shows them). */
export interface KeyInfoRequest extends RequestBase {
  type: 'key-info';
  key: string;
}

/** A WireGuard private key (base64) → the public key the user registers with the server. */
export interface WireguardPublicKeyRequest extends RequestBase {
  type: 'wireguard-public-key';
  privateKey: string;
}

/** Aborts the request with this id; it then ends with an `error` of code ABORTED. */
export interface CancelRequest extends RequestBase {
  type: 'cancel';
}

// ─── events (worker → app) ───────────────────────────────────────────────────────────────────

export type WorkerEvent =
  | ReadyEvent
  | ProgressMessage
  | InspectDone
  | ConfigureDone
  | SettingsChecked
  | FilesPreviewed
  | KeyInfoDone
  | WireguardPublicKeyDone
  | ErrorMessage;

/** Posted once when the worker has loaded and listens. */
export interface ReadyEvent {
  type: 'ready';
}

/**
 * Work phases. 'inspect' and 'plan' are the worker's (reading the image, planning the edit); the
 * others are the codecs' own (decode, write, verify…) while they report.
 */
export type WorkPhase = 'inspect' | 'plan' | ProgressPhase;

/**
 * `done` of `total` input bytes have been read: every phase reads the input front to back, so this
 * one measure has a known total for every format (the decoded size of a .gz or .xz is not known
 * up front). Reaches `total` only when the whole input was needed.
 */
export interface ProgressMessage {
  type: 'progress';
  id: number;
  phase: WorkPhase;
  done: number;
  total: number;
  /** Output bytes written so far, when the phase writes. */
  written?: number;
}

export interface InspectDone {
  type: 'inspect-done';
  id: number;
  format: CodecId;
  member?: string;
  report: InspectReport;
}

/** Where the output is. */
export type ConfigureOutput =
  /** A Blob of input slices and new bytes: save it (`FileSystemWritableFileStream.write(blob)` or a download). */
  | { kind: 'blob'; blob: Blob; fileName: string; size: number }
  /**
   * A file in the origin-private file system (the root directory's `opfsName`), written by the
   * worker; save `file` the same way, then remove the entry (WorkerClient.removeOutput).
   */
  | { kind: 'opfs'; file: File; opfsName: string; fileName: string; size: number }
  /** Written into the request's `sink`, which is closed. */
  | { kind: 'sink'; fileName: string; size: number };

export interface ConfigureDone {
  type: 'configure-done';
  id: number;
  inputFormat: CodecId;
  outputFormat: CodecId;
  member?: string;
  /** The boot filesystem chosen, and the rule and sentence that chose it. */
  partition: {
    /** Partition number as sfdisk/fdisk show it; null = the whole disk is the filesystem. */
    index: number | null;
    start: number;
    size: number;
    rule: ConfigurePlan['choice']['rule'];
    reason: string;
  };
  fatType: ConfigurePlan['fatType'];
  /** The slug in the image's /device-type.json, when it has one. */
  imageDeviceType?: string;
  /** What the image says about itself: device type, OS version, installer (as inspect reports them). */
  image: ConfigurePlan['facts'];
  freeBytesAfter: number;
  files: ConfigurePlan['files'];
  /** Bytes of the image that differ, and in how many ranges. */
  changedBytes: number;
  changedRanges: number;
  /** Decoded image bytes the job produced, and those it re-encoded. */
  decodedBytes: number;
  reencodedBytes: number;
  warnings: ConfigurePlan['warnings'];
  output: ConfigureOutput;
}

export interface SettingsChecked {
  type: 'settings-checked';
  id: number;
  ok: boolean;
  /** Every problem, with its field path; the same messages the CLI and a configure would give. */
  issues: SettingsIssue[];
  /** Legal values that are probably mistakes (SETTINGS_SUSPICIOUS), with their paths. */
  warnings: CoreWarning[];
}

export interface PreviewFile {
  path: string;
  size: number;
  /** The content as UTF-8 text (every generated file is text). Contains the user's secrets. */
  text: string;
}

export interface FilesPreviewed {
  type: 'files-previewed';
  id: number;
  files: PreviewFile[];
}

export type KeyInfo =
  | { ok: true; type: SshKeyType; label: string; bits: number; comment: string; fingerprint: string }
  | { ok: false; problem: string };

export interface KeyInfoDone {
  type: 'key-info-done';
  id: number;
  info: KeyInfo;
}

export interface WireguardPublicKeyDone {
  type: 'wireguard-public-key-done';
  id: number;
  publicKey: string;
}

/** Machine-readable extras; which ones depend on the code. */
export interface ErrorDetail {
  /** SETTINGS_INVALID: every problem with its field path. */
  issues?: SettingsIssue[];
  /** SPLICE_IMPOSSIBLE: outputs that would work for this input. */
  alternatives?: OutputChoice[];
  /** INTERNAL from request validation: the offending request field. */
  field?: string;
  [key: string]: unknown;
}

export interface ErrorMessage {
  type: 'error';
  /** The request's id; -1 when the message had no usable id. */
  id: number;
  code: CoreErrorCode;
  message: string;
  detail: ErrorDetail;
}

/** The event type that answers each request type. */
export interface DoneEvents {
  inspect: InspectDone;
  configure: ConfigureDone;
  'check-settings': SettingsChecked;
  'preview-files': FilesPreviewed;
  'key-info': KeyInfoDone;
  'wireguard-public-key': WireguardPublicKeyDone;
}

// ─── the download worker (workers/download.worker.ts) ────────────────────────────────────────
// A second, small worker beside the image worker: it streams an image from a URL into the
// origin-private file system (the directory `CACHE_DIRECTORY`), resuming with Range/If-Range, and
// hashes it with the core's incremental SHA-256. Same shapes as above: `id` on every message,
// one `*-done` or `error` per request, `cancel` {id}. Its client is src/app/cache/download-client.ts.

/** The OPFS directory that holds cached images (bytes exactly as downloaded) and their sidecars. */
export type CacheDirectory = 'preflash-cache';
export const CACHE_DIRECTORY: CacheDirectory = 'preflash-cache';

/** What identifies the bytes of one version of a remote file: sent back in `If-Range`. */
export interface DownloadValidator {
  etag?: string;
  lastModified?: string;
}

/**
 * Downloads `url` into `CACHE_DIRECTORY/opfsName`. When `resume` is set and the file already holds
 * bytes of the same version (the worker's sidecar `opfsName.json` names its validator), it asks
 * only for the rest (`Range`, guarded by `If-Range`); otherwise it starts from zero.
 */
export interface DownloadRequest extends RequestBase {
  type: 'download';
  url: string;
  opfsName: string;
  resume?: boolean;
  /** Lowercase hex SHA-256 the user gave: checked at the end (error reason `sha256` when it differs). */
  sha256?: string;
}

/** Hashes a cached file (read through getFile(), like a dropped file) and compares it. */
export interface VerifyCachedRequest extends RequestBase {
  type: 'verify-cached';
  opfsName: string;
  sha256: string;
}

export type DownloadWorkerRequest = DownloadRequest | VerifyCachedRequest | CancelRequest;

/** A response the download now continues from (the first, or one after a dropped connection). */
export interface DownloadResponseEvent {
  type: 'download-response';
  id: number;
  status: number;
  /** Bytes kept from before (0 = from the start). */
  from: number;
  /** The whole file's size when the server said it. */
  total?: number;
  validator?: DownloadValidator;
  /** Why earlier bytes were dropped: the file changed on the server, or the server ignored Range. */
  restarted?: 'changed' | 'no-range' | 'invalid-range';
}

export interface DownloadProgress {
  type: 'download-progress';
  id: number;
  /** Bytes in the file so far. */
  done: number;
  total?: number;
}

export interface DownloadDone {
  type: 'download-done';
  id: number;
  /** The cached file (read it like a dropped file). */
  file: File;
  size: number;
  /** Lowercase hex. */
  sha256: string;
  /** Requests that continued with `Range` (206), and requests in all. */
  resumedRequests: number;
  requests: number;
  validator?: DownloadValidator;
}

export interface VerifyCachedDone {
  type: 'verify-cached-done';
  id: number;
  ok: boolean;
  sha256: string;
  size: number;
}

/**
 * `error` events of the download worker carry `detail.reason`: `blocked` (the browser refused the
 * cross-origin request: CORS), `unreachable`, `http` (detail.status), `network` (dropped and could
 * not resume), `quota` (storage full), `sha256` (detail.actual), `missing` (the cached file is gone),
 * `aborted`, `failed` (anything else, named in the message).
 */
export type DownloadFailure = 'blocked' | 'unreachable' | 'http' | 'network' | 'quota' | 'sha256' | 'missing' | 'aborted' | 'failed';

export type DownloadWorkerEvent = ReadyEvent | DownloadResponseEvent | DownloadProgress | DownloadDone | VerifyCachedDone | ErrorMessage;

export interface DownloadDoneEvents {
  download: DownloadDone;
  'verify-cached': VerifyCachedDone;
}
