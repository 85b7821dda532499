/**
 * What the rest of the app needs of embed mode, without loading it: whether the page asked for it
 * (`?embed`), and once embed-mode.svelte.ts has loaded (App.svelte imports it only then), the
 * mode itself, whose locks Section.svelte and the flow read. Keeps embed code off the first load.
 */
import type { EmbedMode } from './embed-mode.svelte.ts';

class EmbedState {
  readonly requested = typeof location !== 'undefined' && new URLSearchParams(location.search).has('embed');
  mode = $state.raw<EmbedMode | null>(null);

  isLocked(name: string): boolean {
    return this.mode?.isLocked(name) ?? false;
  }
}

export const embed = new EmbedState();
