/**
 * The Configure step's state: the form model, the settings it describes, and the core's
 * validation of them, recomputed as the user types. The validator (and the redactor export uses)
 * are loaded with import() so they stay off the first page's script.
 */
import { createContext } from 'svelte';
import type { SettingsIssue } from '#core/index.ts';
import type { Settings } from '#core/index.ts';
import { issuesAt } from './issue-paths.ts';
import { exportSettings, importSettings, type ExportResult } from './settings-file.ts';
import { emptyForm, toSettings, type SettingsForm } from './settings-model.ts';

type SettingsModule = typeof import('../lazy/settings.ts');
const loadSettingsModule = (): Promise<SettingsModule> => import('../lazy/settings.ts');

export class SettingsFormState {
  model = $state<SettingsForm>(emptyForm());
  /** Issues of the last imported file as it was (some may not fit a field of the form). */
  importIssues = $state.raw<SettingsIssue[]>([]);
  #core = $state.raw<SettingsModule | null>(null);
  readonly ready: Promise<void>;

  readonly settings: Settings = $derived(toSettings(this.model));
  /** Every problem the core finds, as the CLI words them; empty until the validator has loaded. */
  readonly issues: SettingsIssue[] = $derived.by(() => {
    const result = this.#core?.validateSettings(this.settings);
    return result && !result.ok ? result.issues : [];
  });
  readonly validated = $derived(this.#core !== null);
  /** The settings with every secret masked (for showing); null until the settings module has loaded. */
  readonly redacted: Settings | null = $derived(this.#core ? this.#core.redactSettings(this.settings) : null);
  readonly valid = $derived(this.validated && this.issues.length === 0);

  constructor(load: () => Promise<SettingsModule> = loadSettingsModule) {
    this.ready = load().then((core) => {
      this.#core = core;
    });
  }

  /** The issues a field shows: those at its path, and with `nested` those below it. */
  at(path: string, nested = false): SettingsIssue[] {
    return issuesAt(this.issues, path, nested);
  }

  reset(): void {
    this.model = emptyForm();
    this.importIssues = [];
  }

  /** The settings as version-1 JSON; without secrets unless `includeSecrets`. */
  async export(includeSecrets: boolean): Promise<ExportResult> {
    await this.ready;
    return exportSettings(this.settings, includeSecrets, this.#core!.redactSettings);
  }

  /** Replaces the form with a settings file's contents; returns false when nothing could be read. */
  async import(text: string): Promise<boolean> {
    await this.ready;
    const result = importSettings(text, this.#core!.validateSettings);
    this.importIssues = result.issues;
    if (result.ok) this.model = result.form;
    return result.ok;
  }
}

/** The form for the components of the Configure step (FieldMessage finds its issues here). */
export const [getSettingsForm, setSettingsForm] = createContext<SettingsFormState>();
