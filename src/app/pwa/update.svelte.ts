/**
 * The "a new version is ready" offer (issue #9). The service-worker wiring (register.ts) offers an
 * update with the function that applies it; the prompt (UpdatePrompt.svelte) shows it and applies
 * it only when the user presses Reload, and never while a build runs — the reload would stop it.
 */
export type UpdateOffer =
  /** Nothing to offer: the running version is the newest the browser knows. */
  | { kind: 'none' }
  /** A new service worker is installed and waits; applying activates it, then the page reloads. */
  | { kind: 'ready' }
  /** Another tab already switched to the new version; applying reloads this page onto it. */
  | { kind: 'active-elsewhere' }
  /** The user pressed Reload: the new version is being activated and the page reloads. */
  | { kind: 'reloading' };

export class AppUpdate {
  offer = $state.raw<UpdateOffer>({ kind: 'none' });
  #apply: (() => void) | null = null;

  /** A new version can be loaded; `apply` loads it. A later offer replaces an earlier one. */
  offerUpdate(kind: 'ready' | 'active-elsewhere', apply: () => void): void {
    if (this.offer.kind === 'reloading') return;
    this.#apply = apply;
    this.offer = { kind };
  }

  /** The user pressed Reload. Refused while `busy` (a build is running); true when it went ahead. */
  reload(busy: boolean): boolean {
    if (!this.#apply || this.offer.kind === 'none' || this.offer.kind === 'reloading') return false;
    if (busy) return false;
    this.offer = { kind: 'reloading' };
    this.#apply();
    return true;
  }
}
