import type { ProgressEvent } from '../core/codecs/stream-codec.ts';

/** What a command may touch of its process (tests capture it): output, environment, Ctrl+C, a progress line. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Fires on Ctrl+C: long work stops, and its output file is discarded. */
  signal?: AbortSignal;
  /** Standard input as text (for `--settings -`). */
  stdin?: () => Promise<string>;
  /** A progress line for long work, when stderr is a terminal. */
  progress?: { update(event: ProgressEvent): void; done(): void };
}

const MB = 1e6;

/** The real process: stdout/stderr, SIGINT as an AbortSignal, a progress line on a TTY. */
export function processIo(): CliIo {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  let last = 0;
  let shown = false;
  const progress = process.stderr.isTTY
    ? {
        update(e: ProgressEvent) {
          const now = Date.now();
          if (now - last < 200) return;
          last = now;
          shown = true;
          const total = e.totalBytes ? ` of ${(e.totalBytes / MB).toFixed(0)} MB` : '';
          process.stderr.write(`\r\x1b[K${e.phase}: ${(e.bytesRead / MB).toFixed(0)} MB read${total}, ${(e.bytesWritten / MB).toFixed(0)} MB written`);
        },
        done() {
          if (shown) process.stderr.write('\r\x1b[K');
          shown = false;
        },
      }
    : undefined;
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
    stdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    signal: controller.signal,
    progress,
  };
}
