/**
 * The Review step's list of the exact files a build will write, as the image worker generates
 * them (preview-files: the core's generators, config.json as for an image without one), with the
 * secrets masked by the core's redactor (preview-mask.ts). Refreshed when the settings change.
 */
import type { Settings } from '#core/index.ts';
import type { PreviewFile } from '../worker-client.ts';
import { maskFile, secretValues } from './preview-mask.ts';

export interface Previewer {
  previewFiles(settings: unknown, deviceSlug?: string, options?: { signal?: AbortSignal }): Promise<{ files: PreviewFile[] }>;
}

export type PreviewState =
  | { state: 'loading' }
  | { state: 'ready'; files: { file: PreviewFile; masked: string }[] }
  | { state: 'failed'; message: string };

export class FilesPreview {
  status = $state.raw<PreviewState>({ state: 'loading' });
  #abort: AbortController | null = null;
  readonly #previewer: () => Promise<Previewer>;

  constructor(previewer: () => Promise<Previewer>) {
    this.#previewer = previewer;
  }

  async load(settings: Settings, deviceSlug: string | undefined): Promise<void> {
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.status = { state: 'loading' };
    try {
      const [previewer, core] = await Promise.all([this.#previewer(), import('../lazy/settings.ts')]);
      const { files } = await previewer.previewFiles(settings, deviceSlug, { signal: abort.signal });
      const secrets = secretValues(settings, core.redactSettings(settings));
      if (!abort.signal.aborted) this.status = { state: 'ready', files: files.map((file) => ({ file, masked: maskFile(file.text, secrets, core.redactSettings) })) };
    } catch (error) {
      if (!abort.signal.aborted) this.status = { state: 'failed', message: (error as Error).message };
    }
  }
}
