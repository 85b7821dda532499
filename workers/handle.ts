/**
 * The testable body of the image worker: one request in, events out. It only adapts messages to
 * the core pipeline — the CLI calls the same pipeline in-process.
 */
import { isCoreError } from '../src/core/errors.ts';
import { configureStream } from '../src/core/pipeline/configure-stream.ts';
import { inspectImage } from '../src/core/pipeline/inspect-image.ts';
import { openImageStream } from '../src/core/pipeline/open-stream.ts';
import { DEFAULT_TIMESTAMP } from '../src/core/pipeline/timestamp.ts';
import { parseSettings } from '../src/core/settings/validate.ts';
import type { ConfigureRequest, InspectRequest, WorkerEvent } from './protocol.ts';

export interface HandleContext {
  emit(event: WorkerEvent): void;
  signal: AbortSignal;
}

export async function handle(request: ConfigureRequest | InspectRequest, ctx: HandleContext): Promise<void> {
  try {
    if (request.type === 'configure') await configure(request, ctx);
    else await inspect(request, ctx);
  } catch (e) {
    // The host commits the output only on `configure-done`; make sure it is discarded otherwise
    // (the codecs abort it themselves once writing has started; before that nobody has).
    if (request.type === 'configure') await request.sink.abort(e).catch(() => undefined);
    ctx.emit(
      isCoreError(e)
        ? { type: 'error', id: request.id, code: e.code, message: e.message, detail: e.detail }
        : { type: 'error', id: request.id, code: 'INTERNAL', message: `Internal error: ${(e as Error)?.message ?? String(e)}` },
    );
  }
}

async function configure(request: ConfigureRequest, ctx: HandleContext): Promise<void> {
  // Same validation and messages as the CLI: parse the JSON text form.
  const settings = parseSettings(JSON.stringify(request.settings));
  const timestamp = request.sourceDateEpoch === undefined ? DEFAULT_TIMESTAMP : new Date(request.sourceDateEpoch * 1000);
  const result = await configureStream(request.input.stream(), settings, request.sink, {
    fileName: request.fileName,
    inputSize: request.input.size,
    member: request.member,
    output: request.output,
    deviceSlug: request.deviceSlug,
    timestamp,
    signal: ctx.signal,
    onProgress: (p) => ctx.emit({ type: 'progress', id: request.id, ...p }),
  });
  ctx.emit({
    type: 'configure-done',
    id: request.id,
    inputFormat: result.inputFormat,
    outputFormat: result.outputFormat,
    member: result.member,
    files: result.plan.files,
    changedBytes: result.plan.changes.reduce((n, c) => n + c.bytes.length, 0),
    bytesWritten: result.summary.bytesWritten,
    warnings: result.plan.warnings,
  });
}

async function inspect(request: InspectRequest, ctx: HandleContext): Promise<void> {
  const { codec, opened } = await openImageStream(request.input.stream(), { fileName: request.fileName, signal: ctx.signal, inputSize: request.input.size });
  try {
    ctx.emit({ type: 'inspect-done', id: request.id, format: codec.id, report: await inspectImage(opened.image, { deferLogicalPartitions: true }) });
  } finally {
    await opened.cancel();
  }
}
