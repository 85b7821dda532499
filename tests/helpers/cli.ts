/** Runs the CLI in-process (fast, same code as the bundled binary) and captures its output. */
import { main } from '../../src/cli/main.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** What `-o -` wrote to standard output. */
  bytes: Buffer;
}

export async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const chunks: Uint8Array[] = [];
  const stdoutBytes = () => new WritableStream<Uint8Array>({ write: (c) => void chunks.push(c.slice()) });
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env, stdoutBytes });
  return { code, stdout, stderr, bytes: Buffer.concat(chunks) };
}
