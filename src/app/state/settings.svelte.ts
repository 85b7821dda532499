/**
 * The Configure step's state: the form model, the settings it describes, and the core's
 * validation of them, recomputed as the user types. The validator (and the redactor export uses)
 * are loaded with import() so they stay off the first page's script.
 */
import { createContext } from 'svelte';
import { SvelteSet } from 'svelte/reactivity';
import type { SettingsIssue } from '#core/index.ts';
import type { Settings } from '#core/index.ts';
import { fieldId, issuesAt } from './issue-paths.ts';
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
  /**
   * Whether the user tried to continue (pressed Review) or imported a file: from then on every
   * problem shows. Before that a problem shows only once its field was left (touched).
   */
  attempted = $state(false);
  /** Element ids of the fields the user has left at least once. */
  readonly #touched = new SvelteSet<string>();
  /** The problems the page shows now: all of them once attempted, else those of touched fields. */
  readonly shownIssues: SettingsIssue[] = $derived(this.attempted ? this.issues : this.issues.filter((i) => this.shows(i.path)));

  constructor(load: () => Promise<SettingsModule> = loadSettingsModule) {
    this.ready = load().then((core) => {
      this.#core = core;
    });
  }

  /** The issues a field shows: those at its path, and with `nested` those below it. */
  at(path: string, nested = false): SettingsIssue[] {
    return issuesAt(this.issues, path, nested);
  }

  /**
   * The issues a field shows now: as `at`, once the user has left that field (or one inside it, for
   * a group) or tried to continue; none while the form is pristine. Live after that.
   */
  shownAt(path: string, nested = false): SettingsIssue[] {
    return this.shows(path) ? this.at(path, nested) : [];
  }

  /** Whether problems at `path` show: attempted, or its field (or one inside it) was left. */
  shows(path: string): boolean {
    if (this.attempted) return true;
    const id = fieldId(path);
    if (this.#touched.has(id)) return true;
    // A field inside it was left (a group's own messages), or a group around it was (a list the
    // user added to with a button: its entries' messages show at once).
    for (const touched of this.#touched) if (touched.startsWith(`${id}-`) || id.startsWith(`${touched}-`)) return true;
    return false;
  }

  /** The user left the field with this element id (a focusout): its problems show from now on. */
  touch(elementId: string): void {
    if (elementId.startsWith('field-') && !this.#touched.has(elementId)) this.#touched.add(elementId);
  }

  reset(): void {
    this.model = emptyForm();
    this.importIssues = [];
    this.attempted = false;
    this.#touched.clear();
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
    this.attempted = true; // an imported file's problems show at once, beside their fields

    return result.ok;
  }
}

/** The form for the components of the Configure step (FieldMessage finds its issues here). */
export const [getSettingsForm, setSettingsForm] = createContext<SettingsFormState>();
