/**
 * Which format `configure -o` writes, and the rule that the output's name agrees with it: a .gz
 * input written to `out.img.xz` used to get gzip bytes under an .xz name, a raw input written to
 * `out.img.zip` a raw image under a .zip name (issue 7). Now such names are refused up front.
 */
import type { CodecId, OutputChoice } from '../core/index.ts';
import { UsageError } from './errors.ts';

/** `--format`: the input's own format, the plain image, or gzip (CodecIds accepted as aliases). */
export type FormatFlag = 'same' | 'img' | 'gz';
const FORMAT_FLAGS: Record<string, FormatFlag> = { same: 'same', img: 'img', raw: 'img', gz: 'gz', gzip: 'gz' };

export function parseFormatFlag(value: string | undefined): FormatFlag | undefined {
  if (value === undefined) return undefined;
  const flag = FORMAT_FLAGS[value];
  if (!flag) throw new UsageError(`--format must be same, img or gz, not '${value}'`);
  return flag;
}

/** A format's name and file-name endings, as the codec registry lists them. */
export interface FormatNames {
  id: CodecId;
  label: string;
  extensions: readonly string[];
}

export interface OutputDecision {
  /** What configureFile is asked for. */
  choice: OutputChoice;
  /** The format that will be written. */
  writes: CodecId;
}

/**
 * The output format: `--format` if given, else the one the name's extension says, else the input's
 * own. Throws a UsageError when the name says another format than the one written, or when the
 * format asked for can only be produced by splicing an input of that same format (zip, xz).
 * `name` is undefined for standard output.
 */
export function decideOutput(input: CodecId, name: string | undefined, flag: FormatFlag | undefined, formats: readonly FormatNames[]): OutputDecision {
  const named = name === undefined ? undefined : formatOfName(name, formats)?.id;
  const writes: CodecId = flag === 'img' ? 'raw' : flag === 'gz' ? 'gzip' : flag === 'same' ? input : (named ?? input);
  const label = (id: CodecId) => formats.find((f) => f.id === id)?.label ?? id;
  const what = (id: CodecId) => (id === 'raw' ? 'a plain image' : label(id));
  const file = (id: CodecId) => (id === 'raw' ? 'a plain image' : `${/^[aeioux]/.test(label(id)) ? 'an' : 'a'} ${label(id)} file`);
  const ending = (id: CodecId) => formats.find((f) => f.id === id)?.extensions[0] ?? '';
  if (writes !== input && writes !== 'raw' && writes !== 'gzip') {
    throw new UsageError(`-o ${name} asks for ${what(writes)}, which is written only by editing ${file(writes)}, and this input is ${what(input)}; name the output ${ending('raw')} or ${ending('gzip')}`);
  }
  if (name !== undefined && named !== undefined && named !== writes) {
    throw new UsageError(`-o ${name} names ${file(named)}, but the output is ${what(writes)}; name it ${ending(writes)} or change --format`);
  }
  if (name !== undefined && named === undefined && writes !== 'raw') {
    throw new UsageError(`-o ${name}: the output is ${what(writes)}, so its name should end in ${ending(writes)}`);
  }
  return { choice: writes === input ? 'same' : writes === 'raw' ? 'raw' : 'gzip', writes };
}

/** The format a file name's ending says (longest ending wins: `.img.gz` before `.img`), if any. */
export function formatOfName(name: string, formats: readonly FormatNames[]): FormatNames | undefined {
  const lower = name.toLowerCase();
  let best: { format: FormatNames; length: number } | undefined;
  for (const format of formats) {
    for (const ext of format.extensions) {
      if (lower.endsWith(ext) && ext.length > (best?.length ?? 0)) best = { format, length: ext.length };
    }
  }
  return best?.format;
}
