/**
 * The Profiles panel's state: the saved profiles, and what the panel does with them and with the
 * Configure step's form. Records, sealing and storage are in the plain modules beside this file;
 * this class only sequences them and keeps the message to announce.
 */
import type { SettingsIssue } from '#core/index.ts';
import type { SettingsFormState } from '../state/settings.svelte.ts';
import { exportSettings, importSettings } from '../state/settings-file.ts';
import { toSettings } from '../state/settings-model.ts';
import { profileMessage } from './profile-errors.ts';
import { cleanName, makeRecord, openRecord, type ProfileRecord } from './profile-record.ts';
import { ProfileStore } from './profile-store.ts';
import { shareLink } from './share-link.ts';

type SettingsModule = typeof import('../lazy/settings.ts');
const loadSettingsModule = (): Promise<SettingsModule> => import('../lazy/settings.ts');

export interface Message { text: string; tone: 'info' | 'error' }

export type SaveOutcome = 'saved' | 'exists' | 'failed';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export class ProfilesState {
  profiles = $state.raw<ProfileRecord[]>([]);
  loaded = $state(false);
  busy = $state(false);
  message = $state<Message>({ text: '', tone: 'info' });
  /** Problems of the last imported file, by field path. */
  importIssues = $state.raw<SettingsIssue[]>([]);
  readonly #form: SettingsFormState;
  readonly #store: ProfileStore;
  readonly #core: Promise<SettingsModule>;

  constructor(form: SettingsFormState, store = new ProfileStore(), load = loadSettingsModule) {
    this.#form = form;
    this.#store = store;
    this.#core = load();
  }

  #say(text: string, tone: Message['tone'] = 'info'): void {
    this.message = { text, tone };
  }

  /** Runs one action at a time; a failure becomes the message. */
  async #run<T>(action: () => Promise<T>, failed: T): Promise<T> {
    this.busy = true;
    try {
      return await action();
    } catch (error) {
      this.#say(profileMessage(error), 'error');
      return failed;
    } finally {
      this.busy = false;
    }
  }

  async refresh(): Promise<void> {
    await this.#run(async () => {
      this.profiles = await this.#store.list();
      this.loaded = true;
    }, undefined);
  }

  /**
   * Saves the form's settings under `name`. An existing name is replaced only with `replace`;
   * otherwise 'exists' is returned so the panel can ask. Secrets are sealed with `passphrase`
   * when one is given, and left out otherwise.
   */
  save(name: string, passphrase: string | undefined, replace = false): Promise<SaveOutcome> {
    return this.#run(async () => {
      const clean = cleanName(name);
      const existing = await this.#store.findByName(clean);
      if (existing && !replace) {
        this.#say(`A profile named “${existing.name}” already exists. Replace it, or choose another name.`);
        return 'exists';
      }
      const { redactSettings } = await this.#core;
      const record = await makeRecord({ id: existing?.id, name: clean, settings: this.#form.settings, redact: redactSettings, passphrase });
      await this.#store.put(record);
      this.profiles = await this.#store.list();
      this.#say(`Saved profile “${record.name}”${secretsNote(record)}.`);
      return 'saved';
    }, 'failed');
  }

  /** Fills the form from a profile; with a passphrase, secrets included. Nothing changes on failure. */
  open(id: string, passphrase?: string): Promise<boolean> {
    return this.#run(async () => {
      const record = await this.#store.get(id);
      const settings = await openRecord(record, passphrase);
      await this.#form.import(JSON.stringify(settings));
      const n = this.#form.importIssues.length;
      const secrets = record.secretPaths.length === 0 ? '' : passphrase !== undefined && record.sealed ? ', secrets included' : `, without its ${plural(record.secretPaths.length, 'secret')} (fill them in)`;
      this.#say(`Opened “${record.name}”${secrets}${n ? `; ${plural(n, 'problem')} shown beside the fields` : ''}.`);
      return true;
    }, false);
  }

  rename(id: string, name: string): Promise<boolean> {
    return this.#run(async () => {
      const before = await this.#store.get(id);
      const record = await this.#store.rename(id, name);
      this.profiles = await this.#store.list();
      this.#say(`Renamed “${before.name}” to “${record.name}”.`);
      return true;
    }, false);
  }

  remove(id: string): Promise<boolean> {
    return this.#run(async () => {
      const record = await this.#store.get(id);
      await this.#store.delete(id);
      this.profiles = await this.#store.list();
      this.#say(`Deleted profile “${record.name}”.`);
      return true;
    }, false);
  }

  /** A profile as a version-1 settings file (never with secrets) and a file name for it. */
  async exportFile(id: string): Promise<{ fileName: string; json: string } | null> {
    return this.#run(async () => {
      const record = await this.#store.get(id);
      const { redactSettings } = await this.#core;
      // The stored settings have no secrets; removing them again costs nothing and keeps it so.
      const { json } = exportSettings(record.settings, false, redactSettings);
      const fileName = `${record.name.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '') || 'profile'}.json`;
      this.#say(`Exported “${record.name}” as ${fileName} (settings without secrets).`);
      return { fileName, json };
    }, null);
  }

  /**
   * Adds a version-1 settings file as a profile named after the file. The core's validator
   * reports its problems by field path; a file that is not settings at all is refused.
   */
  importFile(text: string, fileName: string, passphrase: string | undefined): Promise<boolean> {
    return this.#run(async () => {
      const { validateSettings, redactSettings } = await this.#core;
      const result = importSettings(text, validateSettings);
      this.importIssues = result.issues;
      if (!result.ok) {
        this.#say(`${fileName} was not imported: ${result.issues[0]?.message ?? 'it is not version-1 settings'}.`, 'error');
        return false;
      }
      const name = await this.#freeName(fileName.replace(/\.json$/i, '') || 'Imported');
      const record = await makeRecord({ name, settings: toSettings(result.form), redact: redactSettings, passphrase });
      await this.#store.put(record);
      this.profiles = await this.#store.list();
      const n = result.issues.length;
      this.#say(`Imported ${fileName} as “${record.name}”${secretsNote(record)}${n ? `, with ${plural(n, 'problem')} listed below` : ''}.`);
      return true;
    }, false);
  }

  async #freeName(base: string): Promise<string> {
    const name = cleanName(base.slice(0, 90));
    const taken = new Set(this.profiles.map((p) => p.name.toLocaleLowerCase()));
    if (!taken.has(name.toLocaleLowerCase())) return name;
    for (let i = 2; ; i++) if (!taken.has(`${name} (${i})`.toLocaleLowerCase())) return `${name} (${i})`;
  }

  /** The form's settings without secrets as a link to this page (in its fragment). */
  async shareLink(pageUrl: string): Promise<{ url: string; secretPaths: string[] }> {
    const { redactSettings } = await this.#core;
    return shareLink(pageUrl, this.#form.settings, redactSettings);
  }

  say(text: string, tone: Message['tone'] = 'info'): void {
    this.#say(text, tone);
  }
}

function secretsNote(record: ProfileRecord): string {
  const n = record.secretPaths.length;
  if (n === 0) return '';
  return record.sealed ? ` with ${plural(n, 'secret')} encrypted` : ` without its ${plural(n, 'secret')}`;
}
