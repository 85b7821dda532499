import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';

export function requireOne(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? `missing ${what}` : `expected one ${what}, got ${positionals.length}`);
  return positionals[0];
}

export function requireString(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`missing ${flag}`);
  return value;
}

/** The settings file's text; `-` reads standard input, so secrets need not be written to a file. */
export async function readSettingsText(path: string, io: { stdin?: () => Promise<string> }): Promise<string> {
  if (path === '-') {
    if (!io.stdin) throw new UsageError('--settings - needs settings on standard input');
    return io.stdin();
  }
  return readFileSync(path, 'utf8'); // a small file: the synchronous call is the cheaper one at start-up
}
