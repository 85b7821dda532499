import type { SourceReader } from '../kit/reader.ts';
import { BlockScanner } from './block-scanner.ts';
import { EngineScanner } from './engine-scanner.ts';
import type { DeflateScanner, InflateEngine } from './engine.ts';

/**
 * The scanner for the deflate stream starting at `reader`'s position — the one place a container
 * (gzip member, zip member) gets one: with the host's `engine` the JS walk + engine
 * (engine-scanner.ts), else pako with Z_BLOCK (block-scanner.ts), the default.
 */
export function openScanner(reader: SourceReader, what: string, options: { deferCrc?: boolean; engine?: InflateEngine } = {}): DeflateScanner {
  return options.engine ? new EngineScanner(reader, what, options.engine, options) : new BlockScanner(reader, what, options);
}
