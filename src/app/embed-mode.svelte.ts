/**
 * The app in embed mode (`index.html?embed`, in the `<preflash-configurator>` element's iframe or
 * a page's own iframe): compact chrome, the page's device, preset, locks and theme applied, builds
 * reported — over the postMessage API of src/embed/messages.ts.
 *
 * Origins (README "Embedding"): the parent's origin is the `origin` URL parameter, or, without it,
 * `location.ancestorOrigins[0]` where the browser has it (Chromium, Safari). When both exist they
 * must agree, else the app talks to nobody. Messages are accepted only from `window.parent` AND
 * that origin, and posted only to that origin (postMessage's targetOrigin: the browser drops them
 * if the parent is anyone else), so a wrong or spoofed `origin` parameter gives no one access:
 * a third frame is not `window.parent`, and a parent at another origin neither receives nor is heard.
 */
import type { SettingsIssue } from '#core/index.ts';
import { parentOrigin, parseLock, readInMessage, type EmbedErrorCode, type LockName, type OutMessage, type SetMessage, type Theme } from '../embed/messages.ts';
import { embed } from './embed-state.svelte.ts';
import type { BuildStatus } from './state/build.svelte.ts';
import type { DeviceChoice } from './state/device.svelte.ts';
import type { Flow } from './state/flow.svelte.ts';
import type { SettingsForm } from './state/settings-model.ts';
import type { SettingsFormState } from './state/settings.svelte.ts';
import './embed-mode.css';

/** The form's parts each lock fixes (the device lock is the flow's: App.svelte's canEnter). */
const LOCKED_KEYS: Record<Exclude<LockName, 'device'>, readonly (keyof SettingsForm)[]> = {
  hostname: ['hostname'], wifi: ['wifi'], ethernet: ['ethernet'], cellular: ['cellular'], regional: ['country', 'dnsServers', 'ntpServers'],
  proxy: ['proxy'], ssh: ['sshKeys'], wireguard: ['wireguard'], os: ['os'], cloud: ['cloud'], files: ['files'],
};

/** The URL parameters a page without scripts can use: `?embed&device=…&lock=…&compact`. */
function setFromUrl(url: URL): SetMessage {
  const p = url.searchParams;
  const msg: SetMessage = { type: 'preflash:set', compact: p.has('compact') && p.get('compact') !== 'false' };
  if (p.get('device')) msg.device = p.get('device');
  if (p.get('lock')) msg.lock = p.get('lock')!.split(',');
  return msg;
}

interface Attached { device: DeviceChoice; deviceLoaded: Promise<void>; form: SettingsFormState; flow: Flow }

export class EmbedMode {
  readonly parentOrigin: string | null;
  compact = $state(false);
  locks = $state.raw<readonly LockName[]>([]);
  presetIssues = $state.raw<readonly SettingsIssue[]>([]);
  /** Problems with what the page asked (an unknown device, lock), named for the user. */
  notes = $state.raw<readonly string[]>([]);
  #locked = $state.raw<SettingsForm | null>(null);
  #app: Attached | null = null;
  #queue: Promise<void> = Promise.resolve();
  #height = 0;
  readonly #fromUrl: SetMessage;

  constructor(url: URL, ancestor: string | null | undefined) {
    this.parentOrigin = parentOrigin(url, ancestor);
    this.#fromUrl = setFromUrl(url);
  }

  isLocked(name: string): boolean {
    return (this.locks as readonly string[]).includes(name);
  }

  /** The app without `?embed`, for "open in its own tab" (the save dialog works there). */
  get standaloneUrl(): string {
    return new URL('./', location.href).href;
  }

  /** Starts listening and applying: called once by App.svelte with its state. */
  attach(app: Attached): void {
    this.#app = app;
    document.documentElement.dataset.embed = '';
    window.addEventListener('message', this.#onMessage);
    $effect.root(() => {
      $effect(() => this.#enforceLocks());
    });
    new ResizeObserver(() => this.#reportHeight()).observe(document.body);
    this.#enqueue(this.#fromUrl, false);
    this.#post({ type: 'preflash:hello' });
  }

  /** Tells the page how a build ended (a summary without secrets, or the error). */
  reportBuild(status: BuildStatus, deviceSlug: string | null): void {
    if (status.state === 'done') {
      const r = status.result;
      this.#post({
        type: 'preflash:built',
        summary: { device: deviceSlug, files: r.files.map((f) => ({ path: f.path, size: f.size })), output: { name: r.output.fileName, size: r.output.size, format: r.outputFormat } },
      });
    } else if (status.state === 'failed') this.#error('BUILD_FAILED', status.message);
  }

  #onMessage = (event: MessageEvent): void => {
    if (this.parentOrigin === null || event.source !== window.parent || event.origin !== this.parentOrigin) return;
    const msg = readInMessage(event.data);
    if (msg) this.#enqueue(msg);
  };

  /** Applies messages in order; `announce` answers with `preflash:ready` (not for the URL's own parameters). */
  #enqueue(msg: SetMessage, announce = true): void {
    this.#queue = this.#queue.then(() => this.#apply(msg, announce)).catch((error) => this.#error('LOAD_FAILED', (error as Error).message));
  }

  async #apply(msg: SetMessage, announce: boolean): Promise<void> {
    const { device, deviceLoaded, form, flow } = this.#app!;
    const notes: string[] = [];
    this.#locked = null; // no enforcing while the page's values go in; the snapshot below is the new lock
    if (msg.compact !== undefined) {
      this.compact = msg.compact;
      if (msg.compact) document.documentElement.dataset.compact = '';
      else delete document.documentElement.dataset.compact;
    }
    if (msg.theme) applyTheme(msg.theme);
    if (msg.lock) {
      const { locks, unknown } = parseLock(msg.lock);
      this.locks = locks;
      if (unknown.length) notes.push(`The page asked to lock ${unknown.join(', ')}, which Preflash does not know (it knows device, network, vpn and the Configure step's groups).`);
    }
    if (msg.preset !== undefined) {
      await form.ready;
      const loaded = await form.import(JSON.stringify(msg.preset));
      this.presetIssues = form.importIssues;
      if (!loaded || this.presetIssues.length) {
        this.#error('PRESET_INVALID', loaded ? `The preset has ${this.presetIssues.length} problem(s), at ${this.presetIssues.map((i) => i.path || '(top level)').join(', ')}` : 'The preset is not a version-1 settings object');
      }
    }
    if (msg.device !== undefined) {
      await deviceLoaded;
      const chosen = msg.device === null ? null : device.devices.find((d) => d.slug === msg.device);
      if (chosen === undefined) {
        notes.push(`The page asked for the device type "${msg.device}", which the catalogue does not have: choose the device below.`);
        this.#error('UNKNOWN_DEVICE', `No device type has the slug "${msg.device}"`);
      } else if (chosen) {
        device.select(chosen);
        if (flow.current === 'device') flow.go('image');
      }
    }
    this.notes = notes;
    this.#locked = $state.snapshot(form.model) as SettingsForm;
    if (announce) this.#post({ type: 'preflash:ready', device: device.selected?.slug ?? null, locked: [...this.locks], presetIssues: this.presetIssues.length });
  }

  /**
   * Keeps locked groups as the page set them, whatever replaces the form (a loaded settings file,
   * a profile): the fields are read-only, but whole-form replacements bypass them.
   */
  #enforceLocks(): void {
    const locked = this.#locked;
    const form = this.#app?.form;
    if (!locked || !form) return;
    for (const lock of this.locks) {
      if (lock === 'device') continue;
      for (const key of LOCKED_KEYS[lock]) {
        if (JSON.stringify(form.model[key]) !== JSON.stringify(locked[key])) (form.model as unknown as Record<string, unknown>)[key] = structuredClone(locked[key]);
      }
    }
  }

  #reportHeight(): void {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height !== this.#height) this.#post({ type: 'preflash:resize', height: (this.#height = height) });
  }

  #error(code: EmbedErrorCode, message: string): void {
    this.#post({ type: 'preflash:error', code, message });
  }

  #post(msg: OutMessage): void {
    if (this.parentOrigin !== null && window.parent !== window) window.parent.postMessage(msg, this.parentOrigin);
  }
}

/** The page's theme as the app's own custom properties (CSSOM: allowed under the app's CSP). */
function applyTheme(theme: Theme): void {
  const style = document.documentElement.style;
  for (const [key, value] of Object.entries(theme)) {
    if (key === 'font') style.setProperty('font-family', value);
    else style.setProperty(`--${key}`, value);
  }
}

/** Starts embed mode for this page (App.svelte, when `?embed`): the mode, also in `embed.mode`. */
export function startEmbedMode(app: Attached): EmbedMode {
  const mode = new EmbedMode(new URL(location.href), location.ancestorOrigins?.[0]);
  embed.mode = mode;
  mode.attach(app);
  return mode;
}
