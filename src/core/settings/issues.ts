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

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Path of an object member: `a.b`, or `files["system-connections/x"]` for keys that are not identifiers. */
export function keyPath(parent: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent ? `${parent}.${key}` : key;
}

/** Path of an array element: `a.b[3]`. */
export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}
