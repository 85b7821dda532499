/**
 * The download worker's body: streams a URL into an origin-private file through a sync access
 * handle, resumes with Range/If-Range after a dropped connection (and, through the sidecar, after
 * a reload), and hashes every byte with the core's incremental SHA-256.
 *
 * The sidecar `<opfsName>.json` holds the validator of the response the stored bytes came from.
 * It is written before the first byte of a response and the data file is emptied before a new
 * sidecar is written, so stored bytes and validator can never disagree, whenever the page dies.
 */
import { Sha256 } from '#core/index.ts';
import { CACHE_DIRECTORY, type DownloadDone, type DownloadFailure, type DownloadRequest, type DownloadValidator, type DownloadWorkerEvent, type VerifyCachedDone, type VerifyCachedRequest } from '../protocol.ts';
import { decideResponse, resumeHeaders } from './resume.ts';

/** A failure with its reason for the app (and a complete sentence). */
export class DownloadError extends Error {
  constructor(
    readonly reason: DownloadFailure,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface DownloadContext {
  emit(event: DownloadWorkerEvent): void;
  signal: AbortSignal;
  /** Waits before retrying after a dropped connection (ms per attempt). Tests shorten it. */
  retryDelays?: readonly number[];
}

const RETRY_DELAYS = [250, 1000, 2000, 4000, 8000];
const PROGRESS_EVERY_MS = 100;
const FLUSH_EVERY = 16 * 1024 * 1024;
const HASH_CHUNK = 8 * 1024 * 1024;

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(abortError())), { once: true });
  });
const abortError = () => new DownloadError('aborted', 'The download was cancelled.');
const isQuota = (e: unknown) => e instanceof DOMException && e.name === 'QuotaExceededError';

export async function cacheDirectory(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(CACHE_DIRECTORY, { create: true });
}

/** A sync access handle; a worker that was just terminated (a reload) may hold the lock a moment longer. */
async function openAccess(handle: FileSystemFileHandle, signal: AbortSignal): Promise<FileSystemSyncAccessHandle> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await handle.createSyncAccessHandle();
    } catch (e) {
      if (attempt >= 20 || !(e instanceof DOMException) || e.name !== 'NoModificationAllowedError') throw e;
      await sleep(250, signal);
    }
  }
}

async function readSidecar(dir: FileSystemDirectoryHandle, name: string): Promise<DownloadValidator | undefined> {
  try {
    const text = await (await (await dir.getFileHandle(`${name}.json`)).getFile()).text();
    const parsed = JSON.parse(text) as { validator?: DownloadValidator };
    return parsed.validator;
  } catch {
    return undefined;
  }
}

async function writeSidecar(dir: FileSystemDirectoryHandle, name: string, url: string, validator: DownloadValidator | undefined, signal: AbortSignal): Promise<void> {
  const access = await openAccess(await dir.getFileHandle(`${name}.json`, { create: true }), signal);
  try {
    const bytes = new TextEncoder().encode(JSON.stringify({ url, validator }));
    access.truncate(0);
    access.write(bytes, { at: 0 });
    access.flush();
  } finally {
    access.close();
  }
}

/** Writes all of `chunk` at `at`; a short write is a full disk. */
function writeAll(access: FileSystemSyncAccessHandle, chunk: Uint8Array, at: number): void {
  const written = access.write(chunk, { at });
  if (written !== chunk.length) throw new DOMException(`only ${written} of ${chunk.length} bytes were written`, 'QuotaExceededError');
}

/** Hashes what is already stored (after a reload the hash starts again from the bytes on disk). */
function hashStored(access: FileSystemSyncAccessHandle, size: number): Sha256 {
  const sha = new Sha256();
  const buffer = new Uint8Array(Math.min(HASH_CHUNK, Math.max(size, 1)));
  for (let at = 0; at < size; ) {
    const n = access.read(buffer.subarray(0, Math.min(buffer.length, size - at)), { at });
    if (n <= 0) break;
    sha.update(buffer.subarray(0, n));
    at += n;
  }
  return sha;
}

/**
 * The first request failed before any answer (fetch's TypeError). The browser hides why; a
 * `no-cors` request shows whether the server answers at all: if it does, the browser blocked the
 * answer (CORS); if not, the server cannot be reached.
 */
async function whyUnreachable(url: string, signal: AbortSignal): Promise<DownloadError> {
  let reachable = false;
  try {
    await fetch(url, { mode: 'no-cors', method: 'HEAD', signal, cache: 'no-store' });
    reachable = true;
  } catch {
    reachable = false;
  }
  if (signal.aborted) return abortError();
  return reachable
    ? new DownloadError('blocked', `The server at ${new URL(url).host} does not allow downloads from web pages (its CORS policy blocks this browser request).`)
    : new DownloadError('unreachable', `The server at ${new URL(url).host} could not be reached (no network, a wrong address, or the connection was refused).`);
}

export async function download(request: DownloadRequest, context: DownloadContext): Promise<DownloadDone> {
  const { emit, signal } = context;
  const delays = context.retryDelays ?? RETRY_DELAYS;
  const dir = await cacheDirectory();
  const fileHandle = await dir.getFileHandle(request.opfsName, { create: true });
  let validator = request.resume ? await readSidecar(dir, request.opfsName) : undefined;
  const access = await openAccess(fileHandle, signal);
  let requests = 0;
  let resumedRequests = 0;
  let answered = false;
  try {
    let have = validator ? access.getSize() : 0;
    if (have === 0) {
      access.truncate(0);
      validator = undefined;
    }
    let sha = hashStored(access, have);
    let total: number | undefined;
    let failures = 0;
    for (;;) {
      if (signal.aborted) throw abortError();
      const headers = resumeHeaders(have, validator);
      const asked = 'Range' in headers ? have : 0;
      let response: Response;
      try {
        requests++;
        response = await fetch(request.url, { headers, signal, cache: 'no-store' });
      } catch (e) {
        if (signal.aborted) throw abortError();
        if (!answered) throw await whyUnreachable(request.url, signal);
        if (failures >= delays.length) throw new DownloadError('network', `The connection to ${new URL(request.url).host} kept dropping (${failures + 1} attempts): ${(e as Error).message}.`);
        await sleep(delays[failures++], signal);
        continue;
      }
      answered = true;
      const decision = decideResponse(asked, validator, { status: response.status, statusText: response.statusText, header: (n) => response.headers.get(n) });
      if (decision.action === 'fail') {
        await response.body?.cancel().catch(() => undefined);
        throw new DownloadError('http', `${decision.message} (${request.url})`, { status: decision.status });
      }
      if (decision.action === 'refetch') {
        await response.body?.cancel().catch(() => undefined);
        if (asked === 0 && have === 0) throw new DownloadError('http', `The server sent a partial answer (206) to a request for the whole file (${request.url}).`, { status: response.status });
        access.truncate(0);
        have = 0;
        sha = new Sha256();
        validator = undefined;
        emit({ type: 'download-response', id: request.id, status: response.status, from: 0, restarted: decision.reason });
        continue;
      }
      if (decision.action === 'restart') {
        // Empty the data file first, then name the new version: never old bytes under a new validator.
        access.truncate(0);
        access.flush();
        have = 0;
        sha = new Sha256();
      } else {
        resumedRequests++;
      }
      validator = Object.keys(decision.validator).length > 0 ? decision.validator : undefined;
      total = decision.total;
      await writeSidecar(dir, request.opfsName, request.url, validator, signal);
      emit({
        type: 'download-response',
        id: request.id,
        status: response.status,
        from: have,
        total,
        validator,
        restarted: decision.action === 'restart' ? decision.reason : undefined,
      });
      if (!response.body) throw new DownloadError('http', `The server sent no body (${request.url}).`);
      const reader = response.body.getReader();
      let lastProgress = 0;
      let sinceFlush = 0;
      let dropped: unknown;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          writeAll(access, value, have);
          sha.update(value);
          have += value.length;
          sinceFlush += value.length;
          if (sinceFlush >= FLUSH_EVERY) {
            access.flush();
            sinceFlush = 0;
          }
          const now = Date.now();
          if (now - lastProgress >= PROGRESS_EVERY_MS) {
            lastProgress = now;
            emit({ type: 'download-progress', id: request.id, done: have, total });
          }
        }
      } catch (e) {
        if (signal.aborted) throw abortError();
        if (isQuota(e)) throw e;
        dropped = e;
      }
      access.flush();
      emit({ type: 'download-progress', id: request.id, done: have, total });
      if (dropped === undefined && (total === undefined || have === total)) break;
      // The connection dropped (or the body ended short): continue from what is stored.
      if (have > (total ?? Infinity)) throw new DownloadError('http', `The server sent more bytes than it announced (${have} of ${total}).`);
      if (failures >= delays.length) throw new DownloadError('network', `The connection to ${new URL(request.url).host} kept dropping (${failures + 1} attempts); ${have} bytes are kept to resume later.`);
      await sleep(delays[failures++], signal);
    }
    const sha256 = hex(sha.digest());
    if (request.sha256 && request.sha256.toLowerCase() !== sha256) {
      throw new DownloadError('sha256', `The downloaded file's SHA-256 is ${sha256}, not the ${request.sha256.toLowerCase()} you gave: it was not kept.`, { actual: sha256 });
    }
    const size = have;
    access.close();
    const file = await fileHandle.getFile();
    return { type: 'download-done', id: request.id, file, size, sha256, requests, resumedRequests, validator };
  } catch (e) {
    if (isQuota(e)) throw new DownloadError('quota', 'The browser\'s storage for this site is full (quota exceeded): the download stopped and nothing incomplete was kept. Delete cached images or free disk space, then try again.');
    throw e;
  } finally {
    try {
      access.close();
    } catch {
      // already closed
    }
  }
}

/** Hashes a cached file front to back and compares it with the SHA-256 recorded when it was stored. */
export async function verifyCached(request: VerifyCachedRequest, context: DownloadContext): Promise<VerifyCachedDone> {
  const dir = await cacheDirectory();
  let file: File;
  try {
    file = await (await dir.getFileHandle(request.opfsName)).getFile();
  } catch {
    throw new DownloadError('missing', 'This image is no longer in the browser\'s storage (the browser may have evicted it to free space).');
  }
  const sha = new Sha256();
  let done = 0;
  let lastProgress = 0;
  for (let at = 0; at < file.size; at += HASH_CHUNK) {
    if (context.signal.aborted) throw abortError();
    const bytes = new Uint8Array(await file.slice(at, Math.min(file.size, at + HASH_CHUNK)).arrayBuffer());
    sha.update(bytes);
    done += bytes.length;
    if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = Date.now();
      context.emit({ type: 'download-progress', id: request.id, done, total: file.size });
    }
  }
  const sha256 = hex(sha.digest());
  return { type: 'verify-cached-done', id: request.id, ok: sha256 === request.sha256.toLowerCase(), sha256, size: file.size };
}
