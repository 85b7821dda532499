/**
 * The file name the app suggests when saving an output: the input's base name with `-configured`
 * and the output format's extension (the input's own extension when the format is unchanged).
 */
import type { CodecId } from '#core/index.ts';

const EXTENSIONS: Record<CodecId, string> = { raw: '.img', gzip: '.img.gz', zip: '.zip', xz: '.img.xz' };
const KNOWN = /(\.(img|raw|hddimg|bin|iso))?(\.(gz|zip|xz))?$/i;

export function suggestedFileName(inputName: string, inputFormat: CodecId, outputFormat: CodecId): string {
  const name = inputName.split(/[\\/]/).pop() || 'image';
  const match = KNOWN.exec(name);
  const cut = match && match[0].length < name.length ? match.index : name.length;
  const base = name.slice(0, cut);
  const ext = outputFormat === inputFormat && cut < name.length ? name.slice(cut) : EXTENSIONS[outputFormat];
  return `${base}-configured${ext}`;
}
