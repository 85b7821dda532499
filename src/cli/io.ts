import type { ProgressEvent } from '../core/index.ts';
import { outputFailed } from './errors.ts';
import { reportError } from './report-error.ts';

/** What a command may touch of its process (tests capture it): output, environment, Ctrl+C, a progress line. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Fires on Ctrl+C: long work stops, and its output file is discarded. */
  signal?: AbortSignal;
  /** Standard input as text (for `--settings -`). */
  stdin?: () => Promise<string>;
  /** Standard output for bytes (`-o -`), with back-pressure. Absent: `-o -` is refused. */
  stdoutBytes?: () => WritableStream<Uint8Array>;
  /** True when standard output is a terminal (no image bytes are written there). */
  stdoutIsTerminal?: boolean;
  /** A progress line for long work, when stderr is a terminal. */
  progress?: { update(event: ProgressEvent): void; done(): void };
}

const MB = 1e6;

/** The real process's CliIo, and the way to end it once a command is done. */
export interface ProcessIo extends CliIo {
  /**
   * Ends the process with `code` once what it wrote to stdout/stderr has been handed to the
   * system. process.exit rather than letting Node wind down by itself, which first frees every
   * buffer one by one and waits for thread-pool work nothing needs any more: ~25 ms after a .gz
   * splice (munmap of its 19 MB decoded head, zlib finishing the piece it was given ahead).
   */
  exit(code: number): Promise<never>;
}

/** The real process: stdout/stderr, SIGINT as an AbortSignal, a progress line on a TTY. */
export function processIo(): ProcessIo {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  // Whatever escapes (an error event nobody listens to) is still one line and an exit code.
  const escaped = (e: unknown) => {
    process.exitCode = reportError(e, { stderr: (s) => process.stderr.write(s) }, false);
    process.exit();
  };
  process.on('uncaughtException', escaped);
  process.on('unhandledRejection', escaped);
  // The streams written to, which `exit` flushes (only those: making one loads modules, see below).
  const written = new Set<NodeJS.WriteStream>();
  const use = (stream: NodeJS.WriteStream) => (written.add(stream), stream);
  let last = 0;
  let shown = false;
  const makeProgress = () =>
    process.stderr.isTTY
      ? {
          update(e: ProgressEvent) {
            const now = Date.now();
            if (now - last < 200) return;
            last = now;
            shown = true;
            const total = e.totalBytes ? ` of ${(e.totalBytes / MB).toFixed(0)} MB` : '';
            use(process.stderr).write(`\r\x1b[K${e.phase}: ${(e.bytesRead / MB).toFixed(0)} MB read${total}, ${(e.bytesWritten / MB).toFixed(0)} MB written`);
          },
          done() {
            if (shown) process.stderr.write('\r\x1b[K');
            shown = false;
          },
        }
      : undefined;
  // process.stdout and process.stderr are made on first use, and making one loads Node's stream
  // and socket modules (a pipe) or tty: a quiet in-place run never writes, so it never pays for
  // them (issue 7, start-up). Hence the getters.
  let progress: ReturnType<typeof makeProgress> | null = null;
  return {
    stdout: (s) => use(process.stdout).write(s),
    stderr: (s) => use(process.stderr).write(s),
    async exit(code) {
      // A write's callback comes after every write before it: then the bytes are the system's.
      await Promise.all([...written].map((stream) => new Promise((resolve) => stream.write('', resolve))));
      process.exit(code);
    },
    env: process.env,
    stdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    stdoutBytes: () => nodeWritable(use(process.stdout), 'standard output'),
    get stdoutIsTerminal() {
      return process.stdout.isTTY === true;
    },
    signal: controller.signal,
    get progress() {
      if (progress === null) progress = makeProgress();
      return progress;
    },
  };
}

/**
 * A web WritableStream over a Node stream (standard output) with real back-pressure: each write
 * resolves once Node has flushed it, and `ready` waits while 8 MiB are queued. A failed write (a
 * full disk behind a redirect, a closed pipe) becomes OUTPUT_FAILED naming `name`.
 */
export function nodeWritable(stream: NodeJS.WritableStream, name: string): WritableStream<Uint8Array> {
  let failure: unknown;
  let failed: (() => void) | undefined;
  const onError = (e: unknown) => {
    failure ??= e;
    failed?.();
  };
  stream.on('error', onError);
  const done = () => stream.off('error', onError);
  return new WritableStream<Uint8Array>(
    {
      // A stream that fails may never call a write's callback (a file stream destroyed by ENOSPC),
      // so a write settles on its callback or on the stream's error, whichever comes first.
      write: (chunk) =>
        new Promise<void>((resolve, reject) => {
          failed = () => reject(outputFailed(name, failure));
          if (failure) return failed();
          stream.write(chunk, (e) => (e ? reject(outputFailed(name, failure ?? e)) : resolve()));
        }),
      close: () => {
        done();
        if (failure) throw outputFailed(name, failure);
      },
      abort: () => {
        done();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 8 * 1024 * 1024 }),
  );
}
