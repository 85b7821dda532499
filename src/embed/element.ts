/**
 * `<preflash-configurator>`: the one-script embed for documentation sites (README "Embedding").
 *
 * Until the user presses its button (or the page calls `open()`), the element is this file only:
 * a launcher in a shadow root, no request of its own. Then it creates, inside its shadow root, an
 * iframe of the app's `index.html?embed` from the origin this script came from, and talks to it
 * over the postMessage API of ./messages.ts (ARCHITECTURE.md "Embedding" says why an iframe and
 * not the app mounted into the page: the worker, OPFS and the app's CSP stay on the app's origin,
 * and the page's scripts cannot read what the user types).
 *
 * Attributes: device, preset (JSON or a URL, fetched only from that URL, on interaction), lock,
 * compact. Theme: CSS custom properties --preflash-*. Events: preflash-ready, preflash-built,
 * preflash-error. Slots: intro, unsupported, insecure. Host attribute `state` reflects the phase.
 */
import { eventName, readOutMessage, THEME_KEYS, type EmbedErrorCode, type SetMessage, type Theme } from './messages.ts';

const APP = new URL('index.html', import.meta.url);
const HELLO_TIMEOUT_MS = 20_000;

const STYLE = `
:host{display:block}
:host([hidden]){display:none}
.root{all:initial;display:block;box-sizing:border-box;font-family:var(--preflash-font,system-ui,-apple-system,'Segoe UI',Roboto,sans-serif);font-size:16px;line-height:1.5;color:var(--preflash-text,#1b1f24);background:var(--preflash-surface,#fff);border:1px solid var(--preflash-border,#c9d1d9);border-radius:var(--preflash-radius,6px);padding:1rem;overflow:hidden}
.root.open{padding:0}
p{margin:0 0 .75rem}
button{all:initial;font:inherit;font-weight:600;cursor:pointer;padding:.5rem 1rem;border-radius:var(--preflash-radius,6px);background:var(--preflash-accent,#1c6dd0);color:var(--preflash-accent-text,#fff)}
button:focus-visible{outline:3px solid var(--preflash-focus,#0b57d0);outline-offset:2px}
.note{padding:.5rem .75rem;border-radius:var(--preflash-radius,6px);border:1px solid currentColor}
.error{margin:.5rem}
iframe{display:block;width:100%;height:var(--preflash-height,40rem);max-height:var(--preflash-max-height,none);border:0;background:transparent}
[hidden]{display:none!important}
`;

const TEMPLATE = `<style>${STYLE}</style><div class="root" part="root">
<div class="launch" part="launcher"><p><slot name="intro">Configure a balenaOS image<span class="for"></span> right here: hostname, Wi‑Fi, SSH keys and more. It runs on your computer; nothing is uploaded.</slot></p>
<button type="button" part="button">Configure an image</button></div>
<div class="unsupported note" role="note" hidden><slot name="unsupported">This browser cannot run the Preflash configurator: it needs Web Workers and WebAssembly. Use a current Chrome, Edge or Firefox, or the command-line tool (npx preflash).</slot></div>
<div class="insecure note" role="note" hidden><slot name="insecure">The Preflash configurator needs a secure page: open this page over https:// to use it.</slot></div>
<p class="error note" role="alert" hidden></p></div>`;

type State = 'idle' | 'unsupported' | 'insecure' | 'loading' | 'ready' | 'built' | 'error';

export class PreflashConfigurator extends HTMLElement {
  static observedAttributes = ['device', 'preset', 'lock', 'compact'];
  readonly #root: ShadowRoot;
  #frame: HTMLIFrameElement | null = null;
  #connected = false; // the app said hello
  #preset: Promise<unknown> | null = null;
  #timer = 0;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#root.innerHTML = TEMPLATE;
    this.#q('button').addEventListener('click', () => this.open());
  }

  #q<T extends HTMLElement>(selector: string): T {
    return this.#root.querySelector(selector) as T;
  }

  connectedCallback(): void {
    this.#q('.for').textContent = this.device ? ` for ${this.device}` : '';
    if (this.#frame) window.addEventListener('message', this.#onMessage); // moved in the page: listen again
    const blocked = !window.isSecureContext ? 'insecure' : !('Worker' in window && 'WebAssembly' in window) ? 'unsupported' : null;
    if (blocked) {
      this.#q('.launch').hidden = true;
      this.#q(`.${blocked}`).hidden = false;
      this.#setState(blocked);
      // Reported after the page's listeners had a chance to attach.
      queueMicrotask(() => this.#emit('preflash-error', { code: blocked === 'insecure' ? 'INSECURE_CONTEXT' : 'UNSUPPORTED', message: this.#q(`.${blocked}`).textContent!.trim() }));
    } else if (!this.hasAttribute('state')) this.#setState('idle');
  }

  disconnectedCallback(): void {
    window.removeEventListener('message', this.#onMessage);
    clearTimeout(this.#timer);
  }

  get device(): string | null {
    return this.getAttribute('device');
  }

  /** Loads the configurator (what the button does): the app's page from this script's origin. */
  open(): void {
    if (this.#frame || this.getAttribute('state') === 'insecure' || this.getAttribute('state') === 'unsupported') return;
    this.#preset = this.#loadPreset();
    const src = new URL(APP);
    src.search = `?embed&origin=${encodeURIComponent(location.origin)}`;
    const frame = (this.#frame = document.createElement('iframe'));
    frame.title = 'Preflash configurator';
    window.addEventListener('message', this.#onMessage);
    frame.addEventListener('load', () => {
      clearTimeout(this.#timer);
      this.#timer = window.setTimeout(() => !this.#connected && this.#fail('LOAD_FAILED', `The configurator at ${APP.origin} did not answer. Check that it is reachable and allows framing (Content-Security-Policy frame-ancestors).`, true), HELLO_TIMEOUT_MS);
    });
    frame.src = src.href;
    this.#q('.launch').hidden = true;
    this.#q('.root').classList.add('open');
    this.#q('.root').append(frame);
    this.#setState('loading');
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (old === value) return;
    if (name === 'device' && this.isConnected) this.#q('.for').textContent = value ? ` for ${value}` : '';
    if (!this.#connected) return; // sent in full with the first `set`
    if (name === 'preset') {
      this.#preset = this.#loadPreset();
      void this.#preset.then((preset) => preset !== undefined && this.#post({ type: 'preflash:set', preset }));
    } else this.#post({ type: 'preflash:set', ...this.#attributes(name) });
  }

  #attributes(only?: string): Omit<SetMessage, 'type'> {
    const all: Omit<SetMessage, 'type'> = {
      device: this.device,
      lock: (this.getAttribute('lock') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
      compact: this.hasAttribute('compact'),
    };
    return only ? { [only]: all[only as keyof typeof all] } : all;
  }

  /** The --preflash-* custom properties set on the element (inherited ones included). */
  #theme(): Theme {
    const style = getComputedStyle(this);
    const theme: Theme = {};
    for (const key of THEME_KEYS) {
      const value = style.getPropertyValue(`--preflash-${key}`).trim();
      if (value) theme[key] = value;
    }
    return theme;
  }

  /** The preset attribute: inline JSON, or a URL fetched (only then, only from there). undefined = none. */
  async #loadPreset(): Promise<unknown> {
    const text = this.getAttribute('preset')?.trim();
    if (!text) return undefined;
    if (text.startsWith('{')) {
      try {
        return JSON.parse(text);
      } catch (error) {
        this.#fail('PRESET_INVALID', `The preset attribute is not valid JSON (${(error as Error).message}).`);
        return undefined;
      }
    }
    const url = new URL(text, document.baseURI);
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return await response.json();
    } catch (error) {
      this.#fail('PRESET_FETCH_FAILED', `The preset ${url.href} could not be loaded (${(error as Error).message}).`);
      return undefined;
    }
  }

  #onMessage = (event: MessageEvent): void => {
    if (event.origin !== APP.origin || !this.#frame || event.source !== this.#frame.contentWindow) return;
    const msg = readOutMessage(event.data);
    if (!msg) return;
    if (msg.type === 'preflash:hello') {
      this.#connected = true;
      clearTimeout(this.#timer);
      void this.#preset!.then((preset) => this.#post({ type: 'preflash:set', ...this.#attributes(), theme: this.#theme(), ...(preset === undefined ? {} : { preset }) }));
    } else if (msg.type === 'preflash:resize') {
      this.#frame.style.height = `${Math.max(240, Math.ceil(msg.height))}px`;
    } else if (msg.type === 'preflash:ready') {
      this.#setState('ready');
      this.#emit(eventName(msg.type), { device: msg.device, locked: msg.locked, presetIssues: msg.presetIssues });
    } else if (msg.type === 'preflash:built') {
      this.#setState('built');
      this.#emit(eventName(msg.type), msg.summary);
    } else this.#fail(msg.code, msg.message);
  };

  #post(msg: SetMessage): void {
    this.#frame?.contentWindow?.postMessage(msg, APP.origin);
  }

  #fail(code: EmbedErrorCode, message: string, fatal = false): void {
    if (fatal) {
      const box = this.#q('.error');
      box.textContent = message;
      box.hidden = false;
      this.#setState('error');
    }
    this.#emit('preflash-error', { code, message });
  }

  #emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #setState(state: State): void {
    this.setAttribute('state', state);
  }
}

if (!customElements.get('preflash-configurator')) customElements.define('preflash-configurator', PreflashConfigurator);
