/**
 * Each command's flags, typed: `parseFlags('configure', argv)` gives `values.settings` as a string,
 * `values['in-place']` as a boolean. Kept apart from main.ts so commands can import the types
 * without importing the entry point (which imports them: a cycle).
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.ts';

export const FLAGS = {
  inspect: {
    json: { type: 'boolean' },
    member: { type: 'string' },
  },
  configure: {
    settings: { type: 'string' },
    device: { type: 'string' },
    output: { type: 'string', short: 'o' },
    'in-place': { type: 'boolean' },
    format: { type: 'string' },
    member: { type: 'string' },
    'verify-input': { type: 'boolean' },
    sync: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
  },
  bundle: {
    settings: { type: 'string' },
    device: { type: 'string' },
    output: { type: 'string', short: 'o' },
    sync: { type: 'boolean' },
  },
  devices: {
    json: { type: 'boolean' },
  },
} as const;

export type Command = keyof typeof FLAGS;

type ParseConfig<C extends Command> = { args: string[]; options: (typeof FLAGS)[C]; allowPositionals: true; strict: true };

/** One command's parsed command line: its flags' typed values and the positional arguments. */
export interface ParsedArgs<C extends Command> {
  values: ReturnType<typeof parseArgs<ParseConfig<C>>>['values'];
  positionals: string[];
}

export function isCommand(name: string | undefined): name is Command {
  return name !== undefined && Object.hasOwn(FLAGS, name);
}

export function parseFlags<C extends Command>(command: C, args: string[]): ParsedArgs<C> {
  try {
    const { values, positionals } = parseArgs({ args, options: FLAGS[command], allowPositionals: true, strict: true } as ParseConfig<C>);
    return { values, positionals };
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
}
