/**
 * The image file the user picked or dropped, and what the image worker read in it (partition
 * table, boot partition and why, current config.json with secrets redacted, warnings). The File
 * is never read on the page: the worker reads it (worker-client.ts).
 */
import type { InspectDone, ProgressMessage } from '../worker-client.ts';
import { problemOf } from './problem-help.ts';

export const IMAGE_EXTENSIONS = ['.img', '.img.gz', '.img.zip', '.img.xz', '.zip', '.gz', '.xz', '.hddimg'] as const;

export type Inspection =
  | { state: 'idle' }
  | { state: 'reading'; done: number; total: number }
  | { state: 'read'; result: InspectDone }
  /** An archive with several disk images: the user picks one (`candidates`, the core's list). */
  | { state: 'choose-member'; candidates: string[]; message: string }
  /** `message` names the problem (the core's sentence); `help` says what to do. */
  | { state: 'failed'; message: string; code?: string; help?: string };

/** What ImageChoice needs of the worker client (the real one, or a stand-in in tests). */
export interface Inspector {
  inspect(body: { input: Blob; fileName: string; member?: string }, options: { signal?: AbortSignal; onProgress?: (p: ProgressMessage) => void }): Promise<InspectDone>;
}

export class ImageChoice {
  file = $state.raw<File | null>(null);
  inspection = $state.raw<Inspection>({ state: 'idle' });
  /** The disk image chosen inside an archive that holds several (passed to inspect and build). */
  member = $state<string | undefined>(undefined);
  readonly #inspector: () => Promise<Inspector>;
  #abort: AbortController | null = null;

  /** `inspector` is loaded on first use, so the worker client stays off the first page's script. */
  constructor(inspector: () => Promise<Inspector>) {
    this.#inspector = inspector;
  }

  /** Whether the name looks like an image Preflash reads (the worker decides for sure). */
  static looksLikeImage(name: string): boolean {
    const lower = name.toLowerCase();
    return IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
  }

  /** Takes the file and has the worker read it; a newer choice cancels the older reading. */
  async choose(file: File): Promise<void> {
    this.file = file;
    this.member = undefined;
    await this.#inspect(file, undefined);
  }

  /** For an archive with several images: reads the one the user picked. */
  async chooseMember(member: string): Promise<void> {
    if (!this.file) return;
    this.member = member;
    await this.#inspect(this.file, member);
  }

  async #inspect(file: File, member: string | undefined): Promise<void> {
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.inspection = { state: 'reading', done: 0, total: file.size };
    try {
      const inspector = await this.#inspector();
      const result = await inspector.inspect(
        { input: file, fileName: file.name, ...(member === undefined ? {} : { member }) },
        { signal: abort.signal, onProgress: (p) => !abort.signal.aborted && (this.inspection = { state: 'reading', done: p.done, total: p.total }) },
      );
      if (!abort.signal.aborted) this.inspection = { state: 'read', result };
    } catch (error) {
      if (abort.signal.aborted) return;
      const problem = problemOf(error);
      const candidates = (error as { detail?: { candidates?: unknown } }).detail?.candidates;
      if (problem.code === 'ARCHIVE_AMBIGUOUS' && Array.isArray(candidates)) {
        this.inspection = { state: 'choose-member', candidates: candidates.map(String), message: problem.message };
      } else {
        this.inspection = { state: 'failed', ...problem };
      }
    }
  }

  /** Whether the image can be built: read, not waiting for a member to be picked. */
  get usable(): boolean {
    return this.file !== null && this.inspection.state !== 'choose-member';
  }

  clear(): void {
    this.#abort?.abort();
    this.file = null;
    this.member = undefined;
    this.inspection = { state: 'idle' };
  }
}

/** 1536 → "1.5 KB"; decimal units as file managers show them. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}
