/**
 * The testable body of the image worker: one request in, events out. It adapts messages to the
 * core (configureFile, openImageFile, the settings validator and key helpers) and realises outputs
 * the browser's way; the CLI calls the same core in-process.
 */
import {
  CoreError,
  checkSettings as checkSettingsValue,
  concat,
  configureFile,
  generateBootFiles,
  inspectImage,
  isCoreError,
  openImageFile,
  parseSettings,
  parseSshPublicKey,
  requireDevice,
  resolveTimestamp,
  wireguardPublicKey,
  type OutputRecipe,
} from '#core/index.ts';
import { blobSource, type BlobSource } from './blob-source.ts';
import { suggestedFileName } from './output-name.ts';
import { progressReporter } from './progress.ts';
import type {
  CheckSettingsRequest,
  ConfigureOutput,
  ConfigureRequest,
  ErrorDetail,
  ErrorMessage,
  InspectRequest,
  JobRequest,
  KeyInfo,
  OutputChoice,
  PreviewFilesRequest,
  SettingsChecked,
  WorkerEvent,
} from './protocol.ts';
import { hasOpfsSyncAccess, openOpfsOutput } from './sinks/opfs.ts';
import type { OpenOutputFile, OutputFile } from './sinks/output-file.ts';

export interface HandleContext {
  emit(event: WorkerEvent): void;
  signal: AbortSignal;
  /**
   * Opens the file an output that must be decoded in full goes into. Default: an OPFS file through
   * a sync access handle where the platform has one; otherwise the request must bring a `sink`.
   */
  openOutputFile?: OpenOutputFile;
}

/** Runs one request to its single answer (a `*-done` event or an `error`); never throws. */
export async function handle(request: JobRequest, ctx: HandleContext): Promise<void> {
  try {
    switch (request.type) {
      case 'inspect':
        return await inspect(request, ctx);
      case 'configure':
        return await configure(request, ctx);
      case 'check-settings':
        return ctx.emit({ type: 'settings-checked', id: request.id, ...checkSettings(request) });
      case 'preview-files':
        return ctx.emit({ type: 'files-previewed', id: request.id, files: previewFiles(request) });
      case 'key-info':
        return ctx.emit({ type: 'key-info-done', id: request.id, info: keyInfo(request.key) });
      case 'wireguard-public-key':
        return ctx.emit({ type: 'wireguard-public-key-done', id: request.id, publicKey: wireguardPublicKey(request.privateKey) });
      default: {
        const unknown: { type: string } = request;
        throw new CoreError('INTERNAL', `Internal error: no handler for worker request type ${JSON.stringify(unknown.type)}.`);
      }
    }
  } catch (e) {
    ctx.emit(errorEvent(request.id, e, ctx.signal));
  }
}

/** A thrown value as the protocol's error event. */
export function errorEvent(id: number, e: unknown, signal?: AbortSignal): ErrorMessage {
  if (signal?.aborted && !(isCoreError(e) && e.code === 'ABORTED')) {
    // Whatever failed after a cancel failed because of it.
    return { type: 'error', id, code: 'ABORTED', message: 'The operation was cancelled.', detail: {} };
  }
  if (!isCoreError(e)) {
    return { type: 'error', id, code: 'INTERNAL', message: `Internal error: ${(e as Error)?.message ?? String(e)}`, detail: {} };
  }
  const detail: ErrorDetail = { ...e.detail };
  if (e.code === 'SPLICE_IMPOSSIBLE' && !Array.isArray(detail.alternatives)) detail.alternatives = SPLICE_ALTERNATIVES;
  return { type: 'error', id, code: e.code, message: e.message, detail };
}

/** Outputs every input can be written as when its own format cannot be spliced. */
const SPLICE_ALTERNATIVES: OutputChoice[] = ['raw', 'gzip'];

async function inspect(request: InspectRequest, ctx: HandleContext): Promise<void> {
  const source = blobSource(request.input);
  try {
    const progress = progressReporter(ctx.emit, request.id, source, 'inspect');
    const opened = await openImageFile(source, { fileName: request.fileName, member: request.member, signal: ctx.signal, onProgress: progress.core });
    try {
      // A plain image is random access (the input itself): read every logical partition for the
      // picture. In a compressed one they lie behind the root partitions (a long decode): deferred,
      // and the report says so.
      const raw = opened.codec.id === 'raw';
      const report = await inspectImage(raw ? source : opened.image, { deferLogicalPartitions: !raw });
      progress.finish();
      ctx.emit({ type: 'inspect-done', id: request.id, format: opened.codec.id, member: opened.member, report });
    } finally {
      await opened.close().catch(() => undefined);
    }
  } finally {
    source.close();
  }
}

async function configure(request: ConfigureRequest, ctx: HandleContext): Promise<void> {
  let outputFile: OutputFile | undefined;
  let source: BlobSource | undefined;
  try {
    // Same validation and messages as the CLI, which parses the JSON text.
    const settings = parseSettings(JSON.stringify(request.settings));
    const device = request.deviceSlug === undefined ? undefined : requireDevice(request.deviceSlug);
    source = blobSource(request.input);
    const progress = progressReporter(ctx.emit, request.id, source, 'plan');
    const openOutputFile = ctx.openOutputFile ?? (hasOpfsSyncAccess() ? openOpfsOutput : undefined);
    const result = await configureFile(source, settings, {
      fileName: request.fileName,
      member: request.member,
      output: request.output,
      verifyInput: request.verifyInput,
      deviceSlug: device?.slug,
      timestamp: resolveTimestamp(request.sourceDateEpoch),
      signal: ctx.signal,
      onProgress: progress.core,
      openSink: async () => {
        if (request.sink) return request.sink;
        if (!openOutputFile) {
          throw new CoreError('OUTPUT_FAILED', 'This browser cannot write a decoded output here (no origin-private file system in this worker, and no output stream was given).');
        }
        outputFile = await openOutputFile(`preflash-${request.outputTag ?? uniqueId()}-${request.output === 'gzip' ? 'out.img.gz' : 'out.img'}`);
        return outputFile.writable;
      },
    });
    progress.finish();
    const fileName = suggestedFileName(request.fileName, result.inputFormat, result.outputFormat);
    const size = result.stats.outputBytes;
    let output: ConfigureOutput;
    if (result.recipe) output = { kind: 'blob', blob: recipeBlob(result.recipe, request.input, source), fileName, size };
    else if (outputFile) output = { kind: 'opfs', ...(await outputFile.finish()), fileName, size };
    else output = { kind: 'sink', fileName, size };
    // A sink the job did not need (the output is a Blob) is aborted, so the app discards it.
    if (output.kind !== 'sink') await request.sink?.abort('unused: the output is a Blob').catch(() => undefined);
    const { plan } = result;
    ctx.emit({
      type: 'configure-done',
      id: request.id,
      inputFormat: result.inputFormat,
      outputFormat: result.outputFormat,
      member: result.member,
      partition: {
        index: plan.choice.partition?.index ?? null,
        start: plan.choice.start,
        size: plan.choice.size,
        rule: plan.choice.rule,
        reason: plan.choice.reason,
      },
      fatType: plan.fatType,
      imageDeviceType: plan.imageDeviceType,
      image: plan.facts,
      freeBytesAfter: plan.freeBytesAfter,
      files: plan.files,
      changedBytes: plan.changes.reduce((n, c) => n + c.bytes.length, 0),
      changedRanges: plan.changes.length,
      decodedBytes: result.stats.decodedBytes,
      reencodedBytes: result.stats.reencodedBytes,
      warnings: plan.warnings,
      output,
    });
  } catch (e) {
    // Nothing is committed on failure: the OPFS file is removed, the app's stream aborted (the
    // codecs abort a sink they started writing; before that nobody has).
    await outputFile?.discard();
    await request.sink?.abort(e).catch(() => undefined);
    throw e;
  } finally {
    source?.close();
  }
}

/**
 * The output as the browser composes it: input ranges as `File.slice()` (copied natively when the
 * Blob is saved, never through JavaScript) and the few new bytes. Short input ranges the worker has
 * already read (a splice's edges, inside the decoded head) are copied in with the new bytes around
 * them instead: in a worker each `slice()` and each part of a Blob is a call into the browser
 * process (a few ms each under load), and a splice's recipe alternates short ranges and new bytes.
 */
export function recipeBlob(recipe: OutputRecipe, input: Blob, held?: Pick<BlobSource, 'peek'>): Blob {
  const parts: BlobPart[] = [];
  let run: Uint8Array[] = [];
  const endRun = () => {
    if (run.length === 1 && run[0].buffer instanceof ArrayBuffer) parts.push(run[0] as Uint8Array<ArrayBuffer>);
    else if (run.length > 0) parts.push(concat(run));
    run = [];
  };
  for (const s of recipe.segments) {
    const bytes = s.kind === 'bytes' ? s.bytes : s.length <= INLINE_INPUT_RANGE ? held?.peek(s.offset, s.length) : undefined;
    if (bytes) run.push(bytes);
    else if (s.kind === 'input') {
      endRun();
      parts.push(input.slice(s.offset, s.offset + s.length));
    }
  }
  endRun();
  return new Blob(parts, { type: 'application/octet-stream' });
}

/** Input ranges up to this long may be copied into the output Blob rather than sliced. */
const INLINE_INPUT_RANGE = 64 << 10;

function uniqueId(): string {
  return typeof crypto?.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** Every problem with the settings, per path, as a configure would report them, and what looks like a mistake. */
function checkSettings(request: CheckSettingsRequest): Omit<SettingsChecked, 'type' | 'id'> {
  const { issues, warnings, settings } = checkSettingsValue(request.settings);
  if (!settings) return { ok: false, issues, warnings };
  try {
    // Two outputs on one path (ignoring case) is the one problem the generators find themselves.
    generateBootFiles(settings, { deviceType: request.deviceSlug });
    if (request.deviceSlug !== undefined) requireDevice(request.deviceSlug);
  } catch (e) {
    if (isCoreError(e) && (e.code === 'SETTINGS_INVALID' || e.code === 'DEVICE_UNKNOWN')) {
      return { ok: false, issues: [{ path: '', message: e.message }], warnings };
    }
    throw e;
  }
  return { ok: true, issues: [], warnings };
}

const utf8 = new TextDecoder();

function previewFiles(request: PreviewFilesRequest) {
  const settings = parseSettings(JSON.stringify(request.settings));
  const deviceType = request.deviceSlug === undefined ? undefined : requireDevice(request.deviceSlug).slug;
  return generateBootFiles(settings, { deviceType }).map((f) => ({ path: f.path, size: f.content.length, text: utf8.decode(f.content) }));
}

function keyInfo(line: string): KeyInfo {
  const parsed = parseSshPublicKey(line.trim());
  if (!parsed.ok) return { ok: false, problem: parsed.problem };
  const { type, label, bits, comment, fingerprint } = parsed.key;
  return { ok: true, type, label, bits, comment, fingerprint };
}
