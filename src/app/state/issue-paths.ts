/**
 * Settings field paths on the page: which validation issues a field shows, and the element id of
 * the field a path names (so a list of problems can move focus to the field).
 */
import type { SettingsIssue } from '#core/index.ts';

/** The issues whose path is `path` or, with `nested`, lies below it (`path.x`, `path[2]`). */
export function issuesAt(issues: readonly SettingsIssue[], path: string, nested = false): SettingsIssue[] {
  return issues.filter((i) => i.path === path || (nested && (i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`))));
}

/** The problem without its leading path, as shown beside the field; below the field, the rest of the path is kept ("[1]: …"). */
export function problemText(issue: SettingsIssue, fieldPath: string): string {
  const prefix = `${issue.path || 'settings'}: `;
  const problem = issue.message.startsWith(prefix) ? issue.message.slice(prefix.length) : issue.message;
  if (issue.path === fieldPath || !issue.path.startsWith(fieldPath)) return problem;
  const rest = issue.path.slice(fieldPath.length).replace(/^\./, '');
  const entry = /^\[(\d+)\]$/.exec(rest);
  return entry ? `entry ${Number(entry[1]) + 1}: ${problem}` : `${rest}: ${problem}`;
}

/** A valid, stable element id for the field that edits `path`. */
export function fieldId(path: string): string {
  return `field-${path.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+$/, '')}`;
}

/** The id of the element holding the messages for `path` (for aria-describedby). */
export function messageId(path: string): string {
  return `${fieldId(path)}-msg`;
}
