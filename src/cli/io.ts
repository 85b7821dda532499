/** What a command may touch of its process: output streams and the environment (tests capture them). */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
}
