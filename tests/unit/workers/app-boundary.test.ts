/**
 * The app reaches the worker only through its protocol: src/app may import workers/protocol.ts and
 * core *types*, never the worker's code (handle.ts, sinks) nor core code — the core runs in the
 * worker, not on the page's main thread.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const importRe = /^\s*(import|export)(\s+type)?\s[^'"]*?from\s+['"]([^'"]+)['"]/gm;

describe('app → worker boundary', () => {
  it('src/app imports workers/protocol.ts only, and core only as types', () => {
    const offending: string[] = [];
    for (const f of files('src/app')) {
      if (f.endsWith('placeholder.ts')) continue; // the pre-app page that shows the catalogue
      for (const [, , typeOnly, spec] of readFileSync(f, 'utf8').matchAll(importRe)) {
        if (spec.includes('/workers/') && !spec.endsWith('/workers/protocol.ts')) offending.push(`${f} → ${spec}`);
        if (spec.includes('/core/') && !typeOnly) offending.push(`${f} → ${spec} (not import type)`);
        if (spec.endsWith('/workers/protocol.ts') && !typeOnly) offending.push(`${f} → ${spec} (not import type)`);
      }
    }
    expect(offending).toEqual([]);
  });
});
