/**
 * Validation problems, each tied to the settings path it concerns, e.g.
 * `network.wifi[1].passphrase: WPA passphrase must be 8–63 characters or 64 hex digits`.
 */
export interface SettingsIssue {
  /** Dotted path with [index] for arrays, e.g. 'network.wifi[1].passphrase'; '' for the whole file. */
  path: string;
  /** The complete one-line text, starting with the path: 'network.wifi[1].passphrase: …'. */
  message: string;
}

/** Collects every issue found in one validation run (we report all, not just the first). */
export class Issues {
  readonly list: SettingsIssue[] = [];

  add(path: string, problem: string): void {
    this.list.push({ path, message: `${path || 'settings'}: ${problem}` });
  }

  get count(): number {
    return this.list.length;
  }
}

export { keyPath, indexPath } from './values.ts';
